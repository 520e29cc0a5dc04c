using System.Globalization;
using Twilio.ChatRooms.Benchmarks.Fanout;

namespace Twilio.ChatRooms.Benchmarks.Webhooks;

/// <summary>
/// Issue 24's two numbers: post-event delivery throughput against a minimal loop (at least 0.8×), and fan-out p99 with
/// a receiver stalled for 5 s against the same run without webhooks (no worse than 1.2×). Each a median of rounds'
/// ratios, with their spread.
/// </summary>
internal static class WebhooksBenchmark
{
    private const int Rounds = 3;

    public static async Task<string> RunAsync(bool quick)
    {
        var (lanes, perLane) = quick ? (4, 100) : (8, 250);
        var throughput = await WebhookThroughput.RunAsync(lanes, perLane, Rounds, durable: true);
        Console.WriteLine("webhook throughput (deliveries/s, emulator / minimal): " +
                          string.Join(", ", throughput.Select(r => $"{r.Emulator:N0} / {r.Minimal:N0} (CPU µs per delivery {r.EmulatorCpuUs:F0} / {r.MinimalCpuUs:F0})")));

        // The same without a data directory: what the store's writes cost the deliveries.
        var inMemory = await WebhookThroughput.RunAsync(lanes, perLane, Rounds, durable: false);
        Console.WriteLine("webhook throughput in memory (deliveries/s, emulator / minimal): " +
                          string.Join(", ", inMemory.Select(r => $"{r.Emulator:N0} / {r.Minimal:N0} (CPU µs per delivery {r.EmulatorCpuUs:F0} / {r.MinimalCpuUs:F0})")));

        // A quarter or so of the rate the emulator sustained at 1,000 × 10 (44,000 deliveries/s), and long enough for
        // the stalled receiver to hold every lane several times over.
        var fanout = new StalledReceiverFanout.Settings(quick ? new FanoutBenchmark.Config(200, 10) : new FanoutBenchmark.Config(1_000, 10),
            SendsPerSecond: quick ? 400 : 1_200, WarmUp: TimeSpan.FromSeconds(quick ? 4 : 10), Duration: TimeSpan.FromSeconds(quick ? 10 : 20), Rounds);
        var holds = await StalledReceiverFanout.RunAsync(fanout);
        Console.WriteLine("fan-out p99 without webhooks / with a receiver answering at once / stalled (ms): " +
                          string.Join(", ", holds.Select(h => $"{h.Without.P99:F1} / {h.AtOnce.P99:F1} / {h.Stalled.P99:F1}")));
        return Report(throughput, inMemory, lanes, perLane, holds, fanout);
    }

    private static string Report(List<WebhookThroughput.Round> throughput, List<WebhookThroughput.Round> inMemory, int lanes, int perLane,
        List<StalledReceiverFanout.Round> holds, StalledReceiverFanout.Settings fanout)
    {
        static string Cpu(List<WebhookThroughput.Round> rounds) =>
            string.Join(" / ", rounds.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.EmulatorCpuUs:F0}:{r.MinimalCpuUs:F0}")));
        static string Each(IEnumerable<double> values, string format) => string.Join(" / ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
        var rates = throughput.Select(r => r.Emulator / r.Minimal).ToList();
        var inMemoryRates = inMemory.Select(r => r.Emulator / r.Minimal).ToList();
        var p99s = holds.Select(h => h.Stalled.P99 / h.Without.P99).ToList();
        var atOnce = holds.Select(h => h.AtOnce.P99 / h.Without.P99).ToList();
        var rate = BenchmarkReport.Median(rates);
        var p99 = BenchmarkReport.Median(p99s);

        string HoldRow(string what, Func<StalledReceiverFanout.Round, StalledReceiverFanout.Hold> pick) =>
            $"| {what} | {Each(holds.Select(h => pick(h).P50), "F1")} | {Each(holds.Select(h => pick(h).P99), "F1")} | " +
            $"{Each(holds.Select(h => pick(h).DeliveriesPerSecond), "N0")} | {holds.Sum(h => pick(h).Lost):N0} | {holds.Sum(h => pick(h).SendErrors):N0} | " +
            $"{Each(holds.Select(h => (double)pick(h).WebhookRequests), "N0")} | {Each(holds.Select(h => pick(h).WorkingSetMb), "N0")} |";

        return string.Join(Environment.NewLine,
        [
            "## Webhooks: post-event delivery throughput, and fan-out with a stalled receiver",
            "",
            $"**Delivery throughput.** The emulator in the benchmark's process, with a data directory, its service's post-event " +
            $"webhook (`onMessageAdded`, POST) set through Twilio's REST API to a loopback receiver (tests/TestSupport's `WebhookReceiver`: " +
            $"Kestrel, every request's signature checked with the Twilio SDK's `RequestValidator`, answered 200). Per round, {lanes} " +
            $"conversations are each sent {perLane} messages over REST with `X-Twilio-Webhook-Enabled: true` while the receiver holds " +
            "what arrives; then it is released and the rest of the deliveries are timed until the receiver has them all (each " +
            "lane, one conversation, delivers in order, one at a time, and the lanes side by side). The baseline, in the same round, " +
            "posts those same form bodies with their signatures to the same receiver from one `HttpClient`, one loop per " +
            $"conversation, side by side. {throughput.Count} rounds after a warm-up of both; deliveries/s per round. Before each timed part, " +
            "on both sides, a full collection (the emulator's part follows the REST writes, whose garbage would otherwise be collected " +
            "in its time); the CPU column is this process's CPU time per delivery while each part was timed (the receiver's share is in both).",
            "",
            "| emulator's state | deliveries a round | minimal loop (deliveries/s, each round) | emulator (deliveries/s, each round) | CPU µs per delivery, emulator / minimal (each round) | emulator / minimal (median of the rounds' ratios, lowest to highest) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            $"| data directory (SQLite), as `conversations-emulator` runs | {throughput[0].Deliveries:N0} | {Each(throughput.Select(r => r.Minimal), "N0")} | {Each(throughput.Select(r => r.Emulator), "N0")} | {Cpu(throughput)} | " +
            $"**{rate:F2}×** ({rates.Min():F2} to {rates.Max():F2}) |",
            $"| in memory (no data directory) | {inMemory[0].Deliveries:N0} | {Each(inMemory.Select(r => r.Minimal), "N0")} | {Each(inMemory.Select(r => r.Emulator), "N0")} | {Cpu(inMemory)} | " +
            $"{BenchmarkReport.Median(inMemoryRates):F2}× ({inMemoryRates.Min():F2} to {inMemoryRates.Max():F2}) |",
            "",
            $"Target at least 0.8× (with a data directory): {(rate >= 0.8 ? "met" : "**missed**")} by the median, in {rates.Count(r => r >= 0.8)} of {rates.Count} rounds.",
            "",
            $"**Fan-out with a stalled receiver.** The fan-out benchmark's load ({fanout.Config.Clients:N0} raw twilsock clients in rooms of " +
            $"{fanout.Config.RoomSize}, each subscribed to its room, sending open loop over the socket; latency from each send's scheduled " +
            $"time to its receipt by every member) against the emulator in a child process (server GC), held at {fanout.SendsPerSecond:N0} " +
            $"sends/s ({fanout.SendsPerSecond * fanout.Config.RoomSize:N0} deliveries/s offered) for {fanout.Duration.TotalSeconds:F0} s after " +
            $"{fanout.WarmUp.TotalSeconds:F0} s at a quarter of it: once with the service's post-event webhook (`onMessageAdded`) set to a " +
            $"receiver that waits {StalledReceiverFanout.Stall.TotalSeconds:F0} s before it answers every request (the emulator gives up at " +
            "Twilio's 5 s), once with it set to the same receiver answering at once (to tell the stall from the webhooks' own cost), " +
            $"and once without webhooks, a fresh server each, the order rotated, {holds.Count} rounds. Each round's ratio is of its p99s.",
            "",
            "| webhooks | p50 (ms, each round) | p99 (ms, each round) | deliveries/s | lost | send errors | webhook requests received | server working set after (MB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            HoldRow("none", h => h.Without),
            HoldRow("receiver answering at once", h => h.AtOnce),
            HoldRow($"receiver stalled {StalledReceiverFanout.Stall.TotalSeconds:F0} s", h => h.Stalled),
            "",
            $"p99 with the receiver answering at once against without: {BenchmarkReport.Median(atOnce):F2}× (median of the rounds' ratios; {Each(atOnce, "F2")}). " +
            $"p99 with the stalled receiver against without: **{p99:F2}×** ({Each(p99s, "F2")}). " +
            $"Target no worse than 1.2×: {(p99 <= 1.2 ? "met" : "**missed**")} by the median, in {p99s.Count(r => r <= 1.2)} of {p99s.Count} rounds.",
            "",
        ]);
    }
}
