using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ClientProtocol.Tests;

/// <summary>
/// Runs a script of <c>node/</c> — Twilio's own JavaScript client SDK, with the <c>ws</c> package as its WebSocket —
/// and returns the events it printed, one JSON object a line. Installs the scripts' npm packages on first use.
/// </summary>
internal static class NodeProbe
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Folder { get; } = FindFolder();

    public static async Task<IReadOnlyList<JsonObject>> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(150)); // the probe ends itself after 90 s; this only guards a hung node
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var events = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited {process.ExitCode}: {await stderr}\n{string.Join('\n', lines)}");
        }

        return events;
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "@twilio", "conversations")))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
            using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.StandardOutput.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci failed in " + Folder + ": " + await output);
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "ClientProtocol.Tests", "node");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/ClientProtocol.Tests/node not found above " + AppContext.BaseDirectory);
    }
}
