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

    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string? _password;
    private readonly bool _ownFolder;

    /// <param name="connectionString">The accounts' connection string.</param>
    /// <param name="postgres">Whether it names a PostgreSQL server.</param>
    /// <param name="ownFolder">The SQLite file is in the host's own <c>App_Data</c>: the whole folder is the host's.</param>
    public AccountsDatabase(string connectionString, bool postgres, bool ownFolder)
    {
        _ownFolder = ownFolder;
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
    /// SQLite: password hashes, sessions and the Data Protection keys are readable by the host's user only. The folder is
    /// made 0700 when the host creates it (and narrowed on every start when it is the host's own <c>App_Data</c>, every
    /// file in it 0600); the file is created 0600 before SQLite opens it, so SQLite gives its side files (-wal, -shm,
    /// -journal) that mode too; and on every start the file and its side files are narrowed to 0600. A folder someone
    /// configured is otherwise left as it is: it may be shared with other things.
    /// </summary>
    public void MakeOwnerOnly()
    {
        if (File is null || Path.GetDirectoryName(File) is not { Length: > 0 } folder)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        var created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder, OwnerFolder);
        var files = new List<string> { File, File + "-wal", File + "-shm", File + "-journal" };
        if (created || _ownFolder)
        {
            Narrow(folder, OwnerFolder);
            files.AddRange(Directory.EnumerateFiles(folder));
        }

        if (!System.IO.File.Exists(File))
        {
            using var _ = new FileStream(File, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile });
        }

        foreach (var file in files.Distinct().Where(System.IO.File.Exists))
        {
            Narrow(file, OwnerFile);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path, UnixFileMode allowed)
    {
        if (new FileInfo(path).LinkTarget is null && System.IO.File.GetUnixFileMode(path) is var mode && (mode & ~allowed) != 0)
        {
            System.IO.File.SetUnixFileMode(path, mode & allowed);   // never through a symbolic link out of the folder
        }
    }

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
