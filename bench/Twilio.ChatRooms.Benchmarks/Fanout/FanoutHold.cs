using HdrHistogram;
using System.Globalization;
using Twilio.ChatRooms.Benchmarks.Webhooks;
using static Twilio.ChatRooms.Benchmarks.Fanout.FanoutBenchmark;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// One server held at one rate, for finding out why a ladder ends where it does (<c>--hold</c>): connect, warm up for
/// a fixed time, hold the rate, and print one line with its latency, each process's CPU per delivery and the server's
/// collections. Not a comparison: run it for both servers, and more than once, before reading anything into it.
/// </summary>
internal static class FanoutHold
{
    public sealed record Settings(string Server, Config Config, int SendsPerSecond, TimeSpan Duration, TimeSpan WarmUp, bool ServerGc, FileInfo? GcLog,
        StalledReceiverFanout.Receiver Webhooks = StalledReceiverFanout.Receiver.None);

    public static async Task<string> RunAsync(Settings settings)
    {
        if (settings.Webhooks != StalledReceiverFanout.Receiver.None && settings.Server != FanoutServer.Emulator)
        {
            throw new ArgumentException("--webhooks holds the emulator only: the minimal broadcaster has no webhooks", nameof(settings));
        }

        await using var process = await FanoutServerProcess.StartAsync(settings.Server, settings.ServerGc, settings.GcLog);
        // The emulator's post-event webhook to a receiver in this process, as the webhooks benchmark sets it (--webhooks).
        await using var receiver = settings.Webhooks == StalledReceiverFanout.Receiver.None ? null : await StalledReceiverFanout.ConfigureAsync(process, settings.Webhooks);
        await using var load = await ConnectAsync(settings.Server, process, settings.Config, TimeSpan.FromSeconds(180));
        var drain = TimeSpan.FromSeconds(2);

        // Warm-up at a quarter of the held rate (at least WarmUpRate deliveries/s), so that the JIT has settled.
        var warmUpRate = Math.Max(WarmUpRate / settings.Config.RoomSize, settings.SendsPerSecond / 4);
        await load.RunAsync(warmUpRate, settings.WarmUp, drain);

        var before = await process.TallyAsync();
        var step = await load.RunAsync(settings.SendsPerSecond, settings.Duration, drain);
        var server = await process.TallyAsync() - before;
        step = step with { Server = server };
        var (serverCpu, loadCpu) = step.CpuPerDelivery;
        return string.Create(CultureInfo.InvariantCulture,
            $"hold {settings.Server} {settings.Config.Clients}×{settings.Config.RoomSize} at {settings.SendsPerSecond:N0} sends/s for {settings.Duration.TotalSeconds:F0} s " +
            $"(server GC: {settings.ServerGc}, webhooks: {settings.Webhooks}, {receiver?.Count ?? 0} webhook requests received): received {step.DeliveriesPerSecond:N0} deliveries/s, lost {step.Lost:N0}, send errors {step.SendErrors:N0}, " +
            $"p50 {step.P(50):F1} ms, p99 {step.P(99):F1} ms, max {step.Latency.GetMaxValue() / 1000.0:F1} ms; CPU µs per delivery {serverCpu:F1} server / {loadCpu:F1} load generator; " +
            $"server GC pauses, ms (gen 0/1/2): {server.Collections}, allocated {step.ServerKbAllocatedPerSend:F1} KB per send, JIT compiled {server.JitCompiled} methods");
    }
}
