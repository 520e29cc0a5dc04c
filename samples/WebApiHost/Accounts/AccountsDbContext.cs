using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace WebApiHost.Accounts;

/// <summary>
/// The chat's accounts (ASP.NET Core Identity's tables, passkeys included), the sign-in sessions and the Data
/// Protection keys that sign the cookies, in one database: hosts that share it share accounts, sessions and keys.
/// </summary>
/// <remarks>
/// One subclass per database provider (<see cref="SqliteAccountsDbContext"/>, <see cref="PostgresAccountsDbContext"/>),
/// because EF Core migrations are provider specific: each keeps its own under <c>Accounts/Migrations</c>.
/// </remarks>
internal abstract class AccountsDbContext(DbContextOptions options) : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();

    public DbSet<UsedPasskeyChallenge> UsedPasskeyChallenges => Set<UsedPasskeyChallenge>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<SignInSession>(session =>
        {
            session.ToTable("SignInSessions");
            session.HasKey(s => s.Key);
            session.Property(s => s.Key).HasMaxLength(64);
            session.Property(s => s.UserId).HasMaxLength(450);
            session.HasIndex(s => s.ExpiresAtUtc);
        });
        builder.Entity<UsedPasskeyChallenge>(used =>
        {
            used.ToTable("UsedPasskeyChallenges");
            used.HasKey(u => u.Challenge);
            used.Property(u => u.Challenge).HasMaxLength(UsedPasskeyChallenge.MaxLength);
            used.HasIndex(u => u.ExpiresAtUtc);
        });
    }
}

/// <summary>The accounts on SQLite: one host, a file in its data folder, nothing to install.</summary>
internal sealed class SqliteAccountsDbContext(DbContextOptions<SqliteAccountsDbContext> options) : AccountsDbContext(options);

/// <summary>The accounts on PostgreSQL: several hosts behind a load balancer share them.</summary>
internal sealed class PostgresAccountsDbContext(DbContextOptions<PostgresAccountsDbContext> options) : AccountsDbContext(options);

/// <summary>
/// One signed-in browser: the cookie carries only <see cref="Key"/>, the ticket stays here, so signing out ends the
/// session on every host at once (a copied cookie is worth nothing afterwards).
/// </summary>
internal sealed class SignInSession
{
    public required string Key { get; set; }

    public string? UserId { get; set; }

    /// <summary>The serialized authentication ticket, protected by Data Protection.</summary>
    public required byte[] Ticket { get; set; }

    /// <summary>UTC (a DateTime rather than a DateTimeOffset, so that SQLite can compare it in a query).</summary>
    public DateTime? ExpiresAtUtc { get; set; }
}

/// <summary>
/// A passkey sign-in challenge that has been answered once: kept until its ceremony would have expired anyway, so the
/// same assertion (with the same ceremony cookie) is refused on every host that shares the database.
/// </summary>
internal sealed class UsedPasskeyChallenge
{
    /// <summary>Identity's challenges are 32 random bytes, 43 characters of base64url; anything longer is not one.</summary>
    public const int MaxLength = 128;

    public required string Challenge { get; set; }

    /// <summary>UTC, as <see cref="SignInSession.ExpiresAtUtc"/>.</summary>
    public DateTime ExpiresAtUtc { get; set; }
}
