using System.Security.Claims;

namespace WebApiHost.Accounts;

/// <summary>How people sign in: <c>Chat:SignIn</c>.</summary>
internal enum SignInMode
{
    /// <summary>Accounts with a password or a passkey (the default).</summary>
    Accounts,

    /// <summary>
    /// The tutorial's way: whoever types a name is that user, no password. For demos and load tests only: anybody can
    /// read anybody's private messages. The host logs a warning at start while it is on.
    /// </summary>
    UsernameOnly,
}

/// <summary>The signed-in user, as the chat endpoints see them.</summary>
internal static class SignedInPrincipal
{
    /// <summary>The chat identity (the account's canonical username) on an endpoint that requires authorization.</summary>
    public static string Identity(this ClaimsPrincipal user)
        => user.Identity?.Name ?? throw new InvalidOperationException("The endpoint does not require authorization.");
}
