using System.ComponentModel.DataAnnotations;

namespace WebApiHost.Limits;

/// <summary>
/// The limits on signing in: the <c>Login</c> section, checked at start. Every sign-in that names a user counts against
/// that user's budget from its address, and every sign-in against its address's larger one: a stranger on the same
/// machine (on localhost every client is one address) who spends a budget on made-up names locks out nobody else.
/// </summary>
internal sealed class LoginLimitOptions
{
    public const string Section = "Login";

    /// <summary>
    /// Sign-ins and new accounts per minute for one username from one address (<c>POST /login</c> and
    /// <c>POST /account</c> with a username).
    /// </summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 30;

    /// <summary>
    /// Sign-ins per minute from one address, whatever the name: <c>POST /login</c>, <c>POST /account</c>,
    /// <c>POST /login/passkey</c> and its options.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinutePerAddress { get; set; } = 300;
}
