using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace WebApiHost.Accounts;

/// <summary>
/// The session cookie's handler, with one change: every sign-in starts a new session key and deletes the one the
/// request came with. The framework's handler, given a session store, attaches the new ticket to the request's old key
/// (dotnet/aspnetcore#22135, #47503), so a key somebody planted in a browser would become the session of whoever signs
/// in there next (session fixation); signing out first does not help, since the handler keeps the removed key.
/// </summary>
internal sealed class NewSessionCookieHandler : CookieAuthenticationHandler
{
    private readonly ILoggerFactory _loggers;
    private bool _startedNewSession;

    public NewSessionCookieHandler(IOptionsMonitor<CookieAuthenticationOptions> options, ILoggerFactory loggers, UrlEncoder encoder)
        : base(options, loggers, encoder) => _loggers = loggers;

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        await AuthenticateAsync();   // reads the request's session, if any, as the handler would
        var oldKey = DatabaseSessionStore.KeyReadBy(Context);
        if (oldKey is null || Options.SessionStore is null)
        {
            await base.HandleSignInAsync(user, properties);
            return;
        }

        // The old session goes; a handler that has not read it yet finds no session and stores a new one.
        await Options.SessionStore.RemoveAsync(oldKey, Context, Context.RequestAborted);
        var fresh = new CookieAuthenticationHandler(OptionsMonitor, _loggers, UrlEncoder);
        await fresh.InitializeAsync(Scheme, Context);
        await fresh.SignInAsync(user, properties);
        _startedNewSession = true;
    }

    /// <summary>After a new session, this handler must not renew (and write back) the old key's cookie.</summary>
    protected override Task FinishResponseAsync() => _startedNewSession ? Task.CompletedTask : base.FinishResponseAsync();
}
