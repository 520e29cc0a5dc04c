using System.ComponentModel.DataAnnotations;

namespace WebApiHost.Limits;

/// <summary>
/// The limits on the doors that cost the back end something: the <c>Chat:RateLimits</c> section, checked at start.
/// Sign-ins have their own, <c>Login:PermitsPerMinute</c>.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "Chat:RateLimits";

    /// <summary>
    /// Calls per minute, per signed-in user (or client address), to the endpoints that create or change something in
    /// the back end: <c>POST /token</c>, <c>/rooms/join</c>, <c>/rooms/leave</c>, <c>/private-conversations</c>, and the
    /// passkey calls of <c>/account/passkeys</c>. One budget for all of them.
    /// </summary>
    [Range(1, 1_000_000)]
    public int WritesPerMinute { get; set; } = 60;

    /// <summary>Open <c>GET /rooms/events</c> streams per signed-in user (or client address).</summary>
    [Range(1, 100_000)]
    public int RoomStreamsPerClient { get; set; } = 8;

    /// <summary>Open <c>GET /rooms/events</c> streams in all, for every client together.</summary>
    [Range(1, 1_000_000)]
    public int RoomStreamsTotal { get; set; } = 1_000;
}
