using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace WebApiHost.Accounts;

/// <summary>
/// The accounts database as the host names it (SQLite and its file, or PostgreSQL and its host, port and database;
/// never a password) and tells when it cannot be used: full, read-only, unreachable, refusing the host.
/// </summary>
internal sealed class AccountsDatabase
{
    // SQLITE_PERM, BUSY, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB: the file, not the request, is at fault.
    private static readonly int[] SqliteUnavailable = [3, 5, 8, 10, 11, 13, 14, 26];

    // PostgreSQL error classes: connection, authorization, no such database, insufficient resources (disk full),
    // operator intervention (shutting down), system error.
    private static readonly string[] PostgresUnavailable = ["08", "28", "3D", "53", "57", "58"];

    private readonly string? _password;

    public AccountsDatabase(string connectionString, bool postgres)
    {
        if (postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            _password = builder.Password;
            Name = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
            IsSqlite = false;
        }
        else
        {
            File = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
            Name = "SQLite " + File;
            IsSqlite = true;
        }
    }

    /// <summary>What log lines and <c>/health</c> call it, e.g. <c>SQLite /srv/chat/App_Data/accounts.db</c>.</summary>
    public string Name { get; }

    public bool IsSqlite { get; }

    /// <summary>The SQLite file (full path); null on PostgreSQL.</summary>
    public string? File { get; }

    /// <summary>
    /// The database's own error (not EF Core's wrapper around it), with the connection string's password, should a
    /// provider ever quote it, blotted out.
    /// </summary>
    public string Say(Exception e)
    {
        var said = e;
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbException)
            {
                said = inner;
                break;
            }
        }

        return string.IsNullOrEmpty(_password) ? said.Message : said.Message.Replace(_password, "***", StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether <paramref name="e"/> (or what it wraps: EF Core wraps a failed save, Npgsql's execution strategy a
    /// transient error) says the database cannot be used now, rather than that a request was wrong.
    /// </summary>
    public static bool IsUnavailable(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SqliteException sqlite:
                    return SqliteUnavailable.Contains(sqlite.SqliteErrorCode & 0xFF);   // the primary code of an extended one
                case PostgresException postgres:
                    return postgres.IsTransient || PostgresUnavailable.Contains(postgres.SqlState[..2]);
                case NpgsqlException:
                    return true;   // no answer from the server at all: refused, reset, timed out
                case DbException:
                    return false;
            }
        }

        return false;
    }
}

/// <summary>
/// The health check <c>accounts-database</c>: a small write (a sign-in session row added and removed in one
/// transaction), so a full disk, a read-only file or a stopped server shows before anybody tries to sign in.
/// </summary>
internal sealed class AccountsHealthCheck(IServiceScopeFactory scopes, AccountsDatabase database) : IHealthCheck
{
    public const string Name = "accounts-database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var probe = new SignInSession { Key = "health-probe-" + Guid.NewGuid().ToString("N"), Ticket = [], ExpiresAtUtc = DateTime.UnixEpoch };
            db.SignInSessions.Add(probe);
            await db.SaveChangesAsync(cancellationToken);
            db.SignInSessions.Remove(probe);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (AccountsDatabase.IsUnavailable(e))
        {
            return HealthCheckResult.Unhealthy($"The accounts database ({database.Name}) cannot be used: {database.Say(e)}");
        }
    }
}
