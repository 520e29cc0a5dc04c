using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WebApiHost.Tests.PostgreSql;

/// <summary>
/// A throwaway PostgreSQL server of Debian's <c>postgresql</c> package (./test.sh installs it): a fresh cluster in a
/// temporary folder, listening on a free loopback port, stopped and deleted on dispose. PostgreSQL refuses to run as
/// root, so under root it runs as the package's <c>postgres</c> user (through <c>runuser</c>).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "chat";
    private readonly string _bin;
    private readonly string _folder;
    private readonly string _data;
    private bool _started;

    private PostgresServer(string bin)
    {
        _bin = bin;
        _folder = Directory.CreateTempSubdirectory("chat-postgres-").FullName;
        _data = Path.Combine(_folder, "data");
        Port = NetworkAddresses.FreePort();
    }

    public int Port { get; }

    /// <summary>An Npgsql connection string for a database of this server (created by EF Core's migrations).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={User};Database={database};Pooling=false";

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): ./test.sh installs Debian's postgresql package.");
        }

        var server = new PostgresServer(bin);
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", server._folder], asPostgres: false, cancellationToken);
            }

            await server.RunToolAsync("initdb", ["-D", server._data, "-U", User, "--auth=trust", "-E", "UTF8", "--no-locale"], cancellationToken);
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (fast: open connections are cut), as a crashed or stopped database would look to a host.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await RunToolAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", _data], cancellationToken);
        _started = false;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port and data; returns once it takes connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        await RunToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", _data, "-l", Path.Combine(_folder, "server.log"),
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off"], cancellationToken);
        _started = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await StopAsync(CancellationToken.None);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans its temporary folder.
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        => RunAsync(Path.Combine(_bin, tool), arguments, asPostgres: Environment.IsPrivilegedProcess, cancellationToken);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var part in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + program);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }

}
