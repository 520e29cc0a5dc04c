using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// The server side of the fan-out benchmark, run in a child process (<c>--serve emulator|minimal</c>) so that its memory
/// is its own: the emulator, or the <see cref="MinimalBroadcaster"/>. Prints <c>ready {base address} {service SID}</c>,
/// answers <c>stats</c> on stdin with its memory and <c>tally</c> with its CPU time, its garbage collector's pauses and its JIT's count, and exits when stdin closes: when the benchmark is done with it, or dies.
/// </summary>
internal static class FanoutServer
{
    public const string Flag = "--serve";
    public const string Emulator = "emulator";
    public const string Minimal = "minimal";

    /// <summary>The environment variable naming the file the server writes its collections to (<c>--hold --gc-log</c>).</summary>
    public const string GcLogVariable = "FANOUT_GC_LOG";

    public static async Task RunAsync(string kind)
    {
        await using var server = await StartAsync(kind);
        Console.WriteLine($"ready {server.BaseAddress} {server.ServiceSid}");
        using var stopLog = new CancellationTokenSource();
        var gcLog = Environment.GetEnvironmentVariable(GcLogVariable) is { Length: > 0 } path ? LogCollectionsAsync(path, stopLog.Token) : Task.CompletedTask;
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                // Live objects after a full collection: what the connections and state retain, not garbage.
                var live = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine($"stats {Environment.WorkingSet} {live}");
            }
            else if (command == "tally")
            {
                Console.WriteLine($"tally {Environment.CpuUsage.TotalTime.Ticks} {GC.GetTotalAllocatedBytes()} {GC.GetTotalPauseDuration().Ticks} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {System.Runtime.JitInfo.GetCompiledMethodCount()}");
            }
        }

        await stopLog.CancelAsync();
        await gcLog;
    }

    /// <summary>
    /// Writes a line for each collection, read every 10 ms: the runtime keeps the last one's details only, so of two
    /// collections within one reading the first is missed (its index shows the gap).
    /// </summary>
    private static async Task LogCollectionsAsync(string path, CancellationToken cancellationToken)
    {
        await using var log = new StreamWriter(path, append: false) { AutoFlush = true };
        await log.WriteLineAsync("time index gen pause_ms promoted_kb heap_mb gen0_before_mb gen1_after_mb gen2_after_mb pinned");
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var last = GC.GetGCMemoryInfo(GCKind.Any).Index;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var gc = GC.GetGCMemoryInfo(GCKind.Any);
                if (gc.Index == last)
                {
                    continue;
                }

                last = gc.Index;
                await log.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:HH:mm:ss.fff} {gc.Index} {gc.Generation} {gc.PauseDurations[0].TotalMilliseconds + gc.PauseDurations[1].TotalMilliseconds:F1} " +
                    $"{gc.PromotedBytes / 1024} {gc.HeapSizeBytes / 1048576} {gc.GenerationInfo[0].SizeBeforeBytes / 1048576} " +
                    $"{gc.GenerationInfo[1].SizeAfterBytes / 1048576} {gc.GenerationInfo[2].SizeAfterBytes / 1048576} {gc.PinnedObjectsCount}"));
            }
        }
        catch (OperationCanceledException)
        {
            // the server is stopping
        }
    }

    private sealed record Running(Uri BaseAddress, string ServiceSid, Func<ValueTask> Stop) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Stop();
    }

    private static async Task<Running> StartAsync(string kind)
    {
        if (kind == Emulator)
        {
            // Fixed credentials, set explicitly, on loopback: the parent process signs its clients' tokens with them.
            var emulator = await ConversationsEmulatorServer.StartAsync(o =>
            {
                o.Credentials = EmulatorCredentials.Development;
                o.ClientProtocol.MaxConnectionsPerAddress = 100_000; // every client of the run is on 127.0.0.1
            });
            return new Running(emulator.BaseAddress, emulator.DefaultServiceSid, emulator.DisposeAsync);
        }

        var (address, stop) = await MinimalBroadcaster.StartAsync();
        return new Running(address, MinimalBroadcaster.ServiceSid, stop);
    }
}
