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

    public static async Task RunAsync(string kind)
    {
        await using var server = await StartAsync(kind);
        Console.WriteLine($"ready {server.BaseAddress} {server.ServiceSid}");
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
            var emulator = await ConversationsEmulatorServer.StartAsync(o => o.Credentials = EmulatorCredentials.Development);
            return new Running(emulator.BaseAddress, emulator.DefaultServiceSid, emulator.DisposeAsync);
        }

        var (address, stop) = await MinimalBroadcaster.StartAsync();
        return new Running(address, MinimalBroadcaster.ServiceSid, stop);
    }
}
