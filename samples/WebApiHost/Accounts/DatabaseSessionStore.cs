using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace WebApiHost.Accounts;

/// <summary>
/// Keeps the sign-in cookie's ticket in the accounts database (<see cref="SignInSession"/>). The cookie holds only a
/// random key; signing out deletes the row, so the same cookie replayed later, on any host, no longer signs anybody in.
/// </summary>
internal sealed class DatabaseSessionStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider time) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("WebApiHost.Accounts.SignInSessions");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        // Expired sessions go as new ones come: no timer, and the index keeps it cheap.
        var now = time.GetUtcNow().UtcDateTime;
        await db.SignInSessions.Where(s => s.ExpiresAtUtc < now).ExecuteDeleteAsync();
        db.SignInSessions.Add(new SignInSession
        {
            Key = key,
            UserId = ticket.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value,
            Ticket = Protect(ticket),
            ExpiresAtUtc = ticket.Properties.ExpiresUtc?.UtcDateTime,
        });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var ticketBytes = Protect(ticket);
        var expires = ticket.Properties.ExpiresUtc?.UtcDateTime;
        // A session deleted meanwhile (signed out elsewhere) stays deleted: nothing is updated then.
        await db.SignInSessions.Where(s => s.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, ticketBytes).SetProperty(x => x.ExpiresAtUtc, expires));
    }

    /// <summary>The session key this request's cookie carried, when it named a live session.</summary>
    public static string? KeyReadBy(HttpContext context) => context.Items[typeof(DatabaseSessionStore)] as string;

    /// <summary>Remembers, for the request, which key it came with, so that a sign-in can end that session.</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var ticket = await RetrieveAsync(key);
        if (ticket is not null)
        {
            httpContext.Items[typeof(DatabaseSessionStore)] = key;
        }

        return ticket;
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var session = await db.SignInSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key);
        if (session is null || session.ExpiresAtUtc < time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(session.Ticket));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;   // protected with a key this host does not have: not a session here
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        await db.SignInSessions.Where(s => s.Key == key).ExecuteDeleteAsync();
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));
}
