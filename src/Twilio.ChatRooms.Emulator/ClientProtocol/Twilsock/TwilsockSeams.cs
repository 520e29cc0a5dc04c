using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// Who a twilsock connection speaks for: the identity and service of the access token it presented, and when that
/// token expires and was issued (null when it does not say).
/// </summary>
internal sealed record TwilsockPrincipal(string Identity, string ServiceSid, DateTimeOffset ExpiresAt, DateTimeOffset? IssuedAt = null);

/// <summary>
/// The answer to a token: a principal, or Twilio's error code for the refusal. Twilio's codes: 20101 invalid access
/// token, 20104 expired (the one the SDK turns into <c>tokenExpired</c>, twilsock.js <c>tokenExpiredSasCode</c>).
/// </summary>
internal sealed record TwilsockAuthentication(TwilsockPrincipal? Principal, int ErrorCode, string Reason)
{
    public const int InvalidToken = 20101;
    public const int ExpiredToken = 20104;

    public static TwilsockAuthentication Accepted(TwilsockPrincipal principal) => new(principal, 0, "OK");

    public static TwilsockAuthentication Refused(int errorCode, string reason) => new(null, errorCode, reason);
}

/// <summary>Checks the access token of an <c>init</c> or <c>update</c> frame.</summary>
internal interface ITwilsockAuthenticator
{
    ValueTask<TwilsockAuthentication> AuthenticateAsync(string? token, CancellationToken cancellationToken);
}

/// <summary>
/// A REST request that rode the socket in a <c>message</c> frame (<c>http_request</c>). The host is only a label the
/// SDK copied from its options; requests are routed by <see cref="Path"/>. There is no auth header: the request acts
/// for the connection's principal.
/// </summary>
internal sealed record TunnelledRequest(
    string Method,
    string Host,
    string Path,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Query,
    IReadOnlyDictionary<string, string> Headers,
    string ContentType,
    ReadOnlyMemory<byte> Body);

/// <summary>The HTTP answer carried back in the reply frame's <c>http_status</c> and payload.</summary>
internal sealed record TunnelledResponse(int Status, JsonNode Body)
{
    /// <summary>An error in the body the SDK reads (<c>status</c>, <c>code</c>, <c>message</c>).</summary>
    public static TunnelledResponse Error(int status, int code, string message) =>
        new(status, new JsonObject { ["status"] = status, ["code"] = code, ["message"] = message });
}

/// <summary>Answers the REST requests that ride the socket (Conversations, Sync, push registrations).</summary>
internal interface ITwilsockRequestHandler
{
    Task<TunnelledResponse> HandleAsync(TwilsockSession session, TunnelledRequest request, CancellationToken cancellationToken);
}
