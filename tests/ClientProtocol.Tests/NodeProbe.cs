using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ClientProtocol.Tests;

/// <summary>
/// Runs a script of <c>node/</c> — Twilio's own JavaScript client SDK, with the <c>ws</c> package as its WebSocket —
/// and returns the events it printed, one JSON object a line, or holds a conversation with it over its standard input and
/// output. Installs the scripts' npm packages on first use.
/// </summary>
internal static class NodeProbe
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Folder { get; } = FindFolder();

    /// <summary>node-sdk1/: @twilio/conversations 1.1.0, the major version the tutorial's front end pins.</summary>
    public static string Sdk1Folder { get; } = Path.Combine(Path.GetDirectoryName(Folder)!, "node-sdk1");

    /// <summary>node-sdk2/: @twilio/conversations 2.7.0, the last 2.x (Twilio's demo ships 2.4).</summary>
    public static string Sdk2Folder { get; } = Path.Combine(Path.GetDirectoryName(Folder)!, "node-sdk2");

    /// <summary>Runs <paramref name="script"/> to its end and returns every event it printed; a non-zero exit throws.</summary>
    public static Task<IReadOnlyList<JsonObject>> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunInAsync(Folder, script, arguments, cancellationToken);

    /// <summary>Runs <paramref name="script"/> of <paramref name="folder"/> (<see cref="Folder"/>, <see cref="Sdk1Folder"/> or <see cref="Sdk2Folder"/>) to its end.</summary>
    public static async Task<IReadOnlyList<JsonObject>> RunInAsync(string folder, string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await using var probe = await StartInAsync(folder, script, arguments, cancellationToken);
        return await probe.FinishAsync();
    }

    /// <summary>
    /// Starts <paramref name="script"/> for a conversation with the test: read its events as they come
    /// (<see cref="Conversation.NextAsync"/>) and answer on its standard input (<see cref="Conversation.SendAsync"/>,
    /// which probe.mjs's <c>fromTest</c> reads).
    /// </summary>
    public static Task<Conversation> StartAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        StartInAsync(Folder, script, arguments, cancellationToken);

    private static async Task<Conversation> StartInAsync(string folder, string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(folder, cancellationToken);
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new Conversation(script, ChildProcess.Start(start), cancellationToken);
    }

    /// <summary>A running probe: its events, one JSON object a line, and its standard input.</summary>
    public sealed class Conversation : IAsyncDisposable
    {
        private readonly string _script;
        private readonly ChildProcess _process;
        private readonly List<JsonObject> _events = [];
        private readonly CancellationTokenSource _hung;

        internal Conversation(string script, ChildProcess process, CancellationToken cancellationToken)
        {
            _script = script;
            _process = process;
            _hung = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _hung.CancelAfter(TimeSpan.FromSeconds(150)); // the probe ends itself after 90 s; this only guards a hung node
        }

        /// <summary>Every event read so far.</summary>
        public IReadOnlyList<JsonObject> Events => _events;

        /// <summary>Reads events until one named <paramref name="name"/>; the probe ending first (an error, its deadline) throws.</summary>
        public async Task<JsonObject> NextAsync(string name)
        {
            while (await ReadAsync() is { } e)
            {
                var kind = (string?)e["event"];
                if (kind == name)
                {
                    return e;
                }

                if (kind is "error" or "timeout")
                {
                    break;
                }
            }

            throw new InvalidOperationException($"{_script} ended before '{name}': {_process.Printed}");
        }

        /// <summary>Writes one line to the probe's standard input.</summary>
        public async Task SendAsync(string line)
        {
            await _process.WriteLineAsync(line, _hung.Token);
        }

        /// <summary>Reads the rest of the events, waits for the probe to exit and returns them all; a non-zero exit throws.</summary>
        public async Task<IReadOnlyList<JsonObject>> FinishAsync()
        {
            while (await ReadAsync() is not null)
            {
            }

            if (await _process.WaitForExitAsync(TimeSpan.FromSeconds(150), _hung.Token) != 0)
            {
                throw new InvalidOperationException($"{_script} exited {_process.ExitCode}: {_process.Printed}");
            }

            return _events;
        }

        /// <summary>Ends the probe if it still runs.</summary>
        public async ValueTask DisposeAsync()
        {
            await _process.DisposeAsync();
            _hung.Dispose();
        }

        private async Task<JsonObject?> ReadAsync()
        {
            string? line;
            do
            {
                line = await _process.ReadLineAsync(_hung.Token);
            }
            while (line is { Length: 0 });

            if (line is null)
            {
                return null;
            }

            var e = JsonNode.Parse(line)!.AsObject();
            _events.Add(e);
            return e;
        }
    }

    /// <summary>Installs <paramref name="folder"/>'s npm packages (npm ci) unless they are there.</summary>
    internal static async Task EnsureInstalledAsync(string folder, CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Directory.Exists(Path.Combine(folder, "node_modules", "@twilio", "conversations")))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.StandardOutput.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci failed in " + folder + ": " + await output);
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
