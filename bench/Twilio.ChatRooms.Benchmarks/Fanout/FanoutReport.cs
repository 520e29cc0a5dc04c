using System.Globalization;
using HdrHistogram;
using System.Text;
using static Twilio.ChatRooms.Benchmarks.Fanout.FanoutBenchmark;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>The fan-out part of the report: the sustained rates and their ratio, the staller, every step, the method.</summary>
internal static class FanoutReport
{
    public sealed record Settings(bool Quick, TimeSpan StepDuration, TimeSpan Drain)
    {
        /// <summary>How long each step of the stall pair sends at least, and at most.</summary>
        public TimeSpan StallDuration { get; init; } = StepDuration;

        /// <inheritdoc cref="StallDuration"/>
        public TimeSpan MaxStallDuration { get; init; } = StepDuration;

        /// <summary>The longest warm-up before a ladder, if the JIT does not go quiet sooner.</summary>
        public TimeSpan MaxWarmUp { get; init; } = TimeSpan.FromSeconds(3);
    }

    /// <summary>The issue's targets: a share of the baseline's deliveries/s, and the emulator's working set at 10,000 connections.</summary>
    private const double TargetRatio = 0.8;
    private const long TargetWorkingSetAt10K = 400L * 1024 * 1024;

    public static string Write(List<ServerRun> runs, List<ServerRun> memoryRuns, Settings settings)
    {
        var rounds = runs.Max(r => r.Round);
        var medians = runs.GroupBy(r => (r.Config, r.Server)).Select(g => Median(g)).ToList();
        var table = new StringBuilder()
            .AppendLine("## Real-time fan-out through twilsock (emulator against a minimal twilsock broadcaster)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Highest fixed rate sustained with p99 ≤ {P99Bound.TotalMilliseconds:F0} ms and nothing lost, in each of {rounds} round(s) of fresh processes; the row is the round with the median rate: its latency at that rate, and the server's memory in it, with every client connected, subscribed and warmed up (what the connections cost, in total and per connection), and after the ladder (with every message it sent stored too). The ratio is of the two servers' medians.")
            .AppendLine(settings.Quick ? "Quick mode: 1,000 connections only (the full mode adds 10,000), one round." : "")
            .AppendLine()
            .AppendLine("| connections | room size | server | ramp (s) | warm-up (s) | sustained deliveries/s, each round | median | p50 (ms) | p99 (ms) | p99.9 (ms) | connected: working set (MB) | per connection (KB) | live heap (MB) | per connection (KB) | after the ladder: working set (MB) | live heap (MB) | emulator / minimal |")
            .AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in medians.GroupBy(r => r.Config))
        {
            var minimal = group.FirstOrDefault(r => r.Server == FanoutServer.Minimal)?.Sustained;
            foreach (var run in group)
            {
                var s = run.Sustained;
                var ratio = run.Server == FanoutServer.Emulator ? Ratio(s, minimal) : "";
                var ramp = run.Failure ?? run.Ramp.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
                var each = string.Join(" / ", runs.Where(r => r.Config == run.Config && r.Server == run.Server).OrderBy(r => r.Round).Select(Sustained));
                var (connected, after, clients) = (run.Connected, run.AfterLadder, run.Config.Clients);
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {clients:N0} | {run.Config.RoomSize} | {run.Server} | {ramp} | {run.WarmUp.TotalSeconds:F0} | {each} | {Sustained(run)} | " +
                    $"{s?.P(50):F1} | {s?.P(99):F1} | {s?.P(99.9):F1} | {Mb(connected?.WorkingSet)} | {Kb(connected?.WorkingSet, clients)} | " +
                    $"{Mb(connected?.LiveHeap)} | {Kb(connected?.LiveHeap, clients)} | {Mb(after?.WorkingSet)} | {Mb(after?.LiveHeap)} | {ratio} |");
            }
        }

        table.AppendLine().AppendLine(Verdict(runs, medians, memoryRuns)).AppendLine();
        Memory(table, memoryRuns);
        Stalls(table, runs, settings);
        Steps(table, runs);
        Method(table, settings);
        return table.ToString();
    }

    /// <summary>The round whose sustained rate is the median of a server's rounds in one configuration (the lower of two middles).</summary>
    private static ServerRun Median(IEnumerable<ServerRun> rounds)
    {
        var ordered = rounds.OrderBy(r => r.Sustained?.OfferedDeliveriesPerSecond ?? 0).ThenBy(r => r.Round).ToList();
        return ordered[(ordered.Count - 1) / 2];
    }

    private static string Sustained(ServerRun run) =>
        run.Sustained is not { } s ? "none"
        : s == run.Steps[^1] && s.OfferedDeliveriesPerSecond >= MaxRate ? $"{s.OfferedDeliveriesPerSecond:N0} (ladder's top)"
        : $"{s.OfferedDeliveriesPerSecond:N0}";

    private static string Ratio(StepResult? emulator, StepResult? minimal) =>
        emulator is null || minimal is null ? "n/a" : $"{emulator.OfferedDeliveriesPerSecond / minimal.OfferedDeliveriesPerSecond:0.00}×";

    private static bool Meets(StepResult? emulator, StepResult? minimal) =>
        emulator is not null && minimal is not null && emulator.OfferedDeliveriesPerSecond >= TargetRatio * minimal.OfferedDeliveriesPerSecond;

    /// <summary>The issue's two targets, checked against this run's numbers: the medians, and each round on its own.</summary>
    private static string Verdict(List<ServerRun> runs, List<ServerRun> medians, List<ServerRun> memoryRuns)
    {
        StepResult? Of(IEnumerable<ServerRun> of, Config config, string server, int? round = null) =>
            of.FirstOrDefault(r => r.Config == config && r.Server == server && (round is null || r.Round == round))?.Sustained;

        var configs = medians.Select(r => r.Config).Distinct().ToList();
        var met = configs.Count(c => Meets(Of(medians, c, FanoutServer.Emulator), Of(medians, c, FanoutServer.Minimal)));
        var text = $"Target, at least {TargetRatio:0.0}× the baseline's deliveries/s at the same p99 bound: met in {met} of {configs.Count} configurations by the medians";
        var rounds = runs.Max(r => r.Round);
        if (rounds > 1)
        {
            text += "; round by round (each round's emulator against the same round's baseline) " + string.Join(", ", Enumerable.Range(1, rounds).Select(round =>
                $"{configs.Count(c => Meets(Of(runs, c, FanoutServer.Emulator, round), Of(runs, c, FanoutServer.Minimal, round)))} of {configs.Count}")) +
                " (" + string.Join("; ", configs.Select(c => $"{c.Clients:N0} × {c.RoomSize}: " + string.Join(", ", Enumerable.Range(1, rounds).Select(round =>
                    Ratio(Of(runs, c, FanoutServer.Emulator, round), Of(runs, c, FanoutServer.Minimal, round)))))) + ")";
        }

        text += ".";
        static bool BigEmulator(ServerRun r) => r.Server == FanoutServer.Emulator && r.Config.Clients >= 10_000 && r.Connected is not null;
        var big = medians.Where(BigEmulator).ToList();
        var bigRounds = runs.Where(BigEmulator).ToList();
        if (big.Count > 0)
        {
            var workstation = memoryRuns.Where(r => r.Server == FanoutServer.Emulator && r.Connected is not null).ToList();
            text += $" Target, the emulator's working set for 10,000 connections under {Mb(TargetWorkingSetAt10K)} MB (617 MB with SignalR before): with server GC " +
                    string.Join(", ", big.Select(r => $"{Mb(r.Connected!.WorkingSet)} MB connected in rooms of {r.Config.RoomSize} ({Mb(r.AfterLadder?.WorkingSet)} MB after the ladder)")) +
                    " in the median rounds, " + string.Join(", ", bigRounds
                        .GroupBy(r => r.Config.RoomSize).Select(g => $"{Mb(g.Min(r => r.Connected!.WorkingSet))}–{Mb(g.Max(r => r.Connected!.WorkingSet))} MB over the rounds in rooms of {g.Key}")) +
                    (bigRounds.All(r => r.Connected!.WorkingSet < TargetWorkingSetAt10K) ? ", met" : ", not met in every round") +
                    "; with workstation GC, as `conversations-emulator` runs, " +
                    string.Join(", ", workstation.Select(r => $"{Mb(r.Connected!.WorkingSet)} MB in rooms of {r.Config.RoomSize}")) +
                    (workstation.Count > 0 && workstation.All(r => r.Connected!.WorkingSet < TargetWorkingSetAt10K) ? ", met." : ", not met in every configuration.");
        }

        return text;
    }

    private static void Memory(StringBuilder table, List<ServerRun> memoryRuns)
    {
        table.AppendLine("The same servers once more with the runtime's default, workstation GC (the stand-alone `conversations-emulator` does not ")
            .AppendLine("ask for server GC; the web host, an ASP.NET Core app, does), connected, subscribed and warmed up, no ladder:")
            .AppendLine()
            .AppendLine("| connections | room size | server | working set (MB) | per connection (KB) | live heap (MB) | per connection (KB) |")
            .AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var run in memoryRuns)
        {
            var (m, clients) = (run.Connected, run.Config.Clients);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {clients:N0} | {run.Config.RoomSize} | {run.Server}{(run.Failure is null ? "" : $" ({run.Failure})")} | {Mb(m?.WorkingSet)} | {Kb(m?.WorkingSet, clients)} | " +
                $"{Mb(m?.LiveHeap)} | {Kb(m?.LiveHeap, clients)} |");
        }

        table.AppendLine();
    }

    private static void Stalls(StringBuilder table, List<ServerRun> runs, Settings settings)
    {
        table.AppendLine(CultureInfo.InvariantCulture, $"A stalled client: after the ladder, the same step twice at half the sustained rate, long enough for {StallFrames:N0} sends ({settings.StallDuration.TotalSeconds:0.#} to {settings.MaxStallDuration.TotalSeconds:0.#} s): first as it is, then with one ")
            .AppendLine("more connection, the staller, connected just before it with a 4 KiB socket receive buffer, subscribed to every room (a participant of ")
            .AppendLine("each), so it is sent every message, and reading nothing from the step's start. The other connections' latency (the staller's own ")
            .AppendLine("deliveries are never counted), and whether the server closed the staller. The emulator drops a connection with more than ")
            .AppendLine(CultureInfo.InvariantCulture, $"{Twilio.ChatRooms.Emulator.ClientProtocolOptions.DefaultMaxQueuedFramesPerConnection:N0} pushed frames queued beyond what its socket has taken (its default `ClientProtocol.MaxQueuedFramesPerConnection`); ")
            .AppendLine("its socket's kernel send buffer (capped at 64 KiB by the emulator) and Kestrel's output buffer take some first. The baseline's queues are unbounded:")
            .AppendLine()
            .AppendLine("| connections | room size | server | deliveries/s | frames for the staller (stalled step) | p50 without / with (ms) | p99 without / with (ms) | p99.9 without / with (ms) | others lost (with) | staller closed |")
            .AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var run in runs.Where(r => r.Stall is not null))
        {
            var (without, with) = run.Stall!.Value;
            var toStaller = with.Sent;
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Config.Clients:N0} | {run.Config.RoomSize} | {run.Server} | {with.OfferedDeliveriesPerSecond:N0} | {toStaller:N0} | " +
                $"{without.P(50):F1} / {with.P(50):F1} | {without.P(99):F1} / {with.P(99):F1} | {without.P(99.9):F1} / {with.P(99.9):F1} | " +
                $"{with.Lost:N0} | {(with.StallerClosed ? "yes" : "no")} |");
        }

        table.AppendLine();
    }

    private static void Steps(StringBuilder table, List<ServerRun> runs)
    {
        table.AppendLine("Every step of the ladders:")
            .AppendLine()
            .AppendLine("| connections | room size | server | round | sends/s | offered deliveries/s | achieved deliveries/s | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | lost | send errors | closed | server GC pauses, ms (gen 0/1/2) | load generator GC pauses (ms) | latest send (ms) | CPU µs per delivery: server / load generator | server allocated per send (KB) |")
            .AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in runs.OrderBy(r => r.Config.Clients).ThenBy(r => r.Config.RoomSize).ThenBy(r => r.Server).ThenBy(r => r.Round))
        {
            foreach (var s in run.Steps)
            {
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Config.Clients:N0} | {run.Config.RoomSize} | {run.Server} | {run.Round} | {s.SendsPerSecond:N0} | {s.OfferedDeliveriesPerSecond:N0} | {s.DeliveriesPerSecond:N0} | " +
                    $"{s.P(50):F1} | {s.P(99):F1} | {s.P(99.9):F1} | {s.Latency.GetMaxValue() / 1000.0:F1} | {s.Lost:N0} | {s.SendErrors:N0} | {s.Closed} | " +
                    $"{s.Server?.Collections} | {s.LoadGcPause.TotalMilliseconds:F0} | {s.MaxSendLag.TotalMilliseconds:F0} | " +
                    $"{s.CpuPerDelivery.Server:F1} / {s.CpuPerDelivery.Load:F1} | {s.ServerKbAllocatedPerSend:F1} |");
            }
        }

        table.AppendLine();
    }

    private static void Method(StringBuilder table, Settings settings) => table
        .AppendLine("Each server runs alone in a child process (this executable with `--serve`, server GC as in an ASP.NET Core host, 127.0.0.1, ")
        .AppendLine("free port); the load generator, in this process, shares the 2 cores with it. Its connections are raw `ClientWebSocket`s speaking ")
        .AppendLine("twilsock v3 (`Fanout/TwilsockWire.cs`, written from the protocol, not shared with the emulator), 32 connecting at a time: ")
        .AppendLine("`init` with an access token from the library's `ITokenIssuer` (the emulator's users, rooms and memberships created first ")
        .AppendLine("over its REST API), then a tunnelled `POST /v4/Subscriptions` to the room's messages list `{CH}.messages`, answered before ")
        .AppendLine("the connection counts as ready. Both servers get the same frames: every send is a tunnelled ")
        .AppendLine("`POST /Client/v2/Services/{IS}/Conversations/{CH}/Messages` with `{\"body\": \"fanout {step} {scheduled time}\"}`, ")
        .AppendLine("and every subscriber of the room, the sender included, should receive a `twilio.sync.event` notification carrying that body ")
        .AppendLine("(from the emulator: `list_item_added` of the message, after its membership and permission checks and its commit). The baseline ")
        .AppendLine("(`Fanout/MinimalBroadcaster.cs`) replies to `init` without checking the token, puts a socket in the room its subscription names, ")
        .AppendLine("answers each message frame with a 200 reply and pushes one notification, encoded once, to the room's sockets through ")
        .AppendLine("unbounded per-connection queues: nothing else. ")
        .AppendLine(CultureInfo.InvariantCulture, $"A step sends open loop for {settings.StepDuration.TotalSeconds:0.#} s (send i scheduled at start + i/rate by the clock, from a client ")
        .AppendLine("chosen by a prime stride); latency is from the scheduled time to each receipt, in an HdrHistogram (µs, 3 digits). ")
        .AppendLine(CultureInfo.InvariantCulture, $"Lost = deliveries not received within {settings.Drain.TotalSeconds:F0} s after the step's last send. The ladder doubles from {FirstRate:N0} deliveries/s ")
        .AppendLine(CultureInfo.InvariantCulture, $"to at most {MaxRate:N0}, stops at the first rate that fails twice in a row (p99 over the bound, a loss, a send error or a closed ")
        .AppendLine(CultureInfo.InvariantCulture, $"connection) and bisects {RefineSteps} times between it and the last rate that passed (once in quick mode), so the rate sustained is ")
        .AppendLine(CultureInfo.InvariantCulture, $"known to within a sixteenth of the failing one. A warm-up at {WarmUpRate:N0} deliveries/s precedes it, in {WarmUpStep.TotalSeconds:F0} s steps until ")
        .AppendLine(CultureInfo.InvariantCulture, $"neither process's JIT compiled more than {QuietJit} methods in one (`JitInfo.GetCompiledMethodCount`), at most {settings.MaxWarmUp.TotalSeconds:F0} s: tiered compilation recompiles ")
        .AppendLine("hot methods for tens of seconds under load, the emulator's thousands more than the baseline's, and a ladder climbing meanwhile ")
        .AppendLine("measured the JIT. Each server climbs its ladder ")
        .AppendLine(CultureInfo.InvariantCulture, $"{Rounds} times per configuration (once in quick mode), each time in a fresh process with fresh connections, and which server goes first ")
        .AppendLine("alternates between rounds and configurations: one process's ladder can end a third above or below the next one's on this machine ")
        .AppendLine("(its JIT, its heaps, the machine), so a single ladder cannot tell 0.9× from 1.0×; the median of the rounds is compared, ")
        .AppendLine("and each round's own ratio is shown. The staller runs in the last round. The load generator does not collect garbage during a step (it reserves the step's allocations ")
        .AppendLine("first, `GC.TryStartNoGCRegion`; its column shows any pause it had anyway): with 10,000 sockets its own collections stopped it for ")
        .AppendLine("up to 400 ms a step, counted against the server. The servers' collections are part of what is measured, and their pauses ")
        .AppendLine("and collections per generation are in the steps' table. Its last two columns: each process's CPU time (user and kernel, every ")
        .AppendLine("thread, `Environment.CpuUsage`) over the step and its drain per delivery received, idle spinning included (which is why ")
        .AppendLine("it is high at low rates), and the bytes the server allocated (`GC.GetTotalAllocatedBytes`) per send. ")
        .AppendLine("Memory: working set and live managed heap after a full collection, read by the server itself once every client is connected, ")
        .AppendLine("subscribed and warmed up, and again after the ladder, divided by the connections for the per-connection columns (so they ")
        .AppendLine("include everything else the process holds: the runtime, the emulator's users, rooms and memberships, and after the ladder ")
        .AppendLine("every message it sent). Compare the two servers within one run, not across runs: ")
        .AppendLine("the load generator parses every delivery on the same 2 cores, so the baseline's row is this machine's ceiling with this client ")
        .AppendLine("as much as the server's, and steps on a busy machine are noisy (hence two tries per rate).");

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string Kb(long? bytes, int connections) =>
        bytes is { } b ? (b / 1024.0 / connections).ToString("N0", CultureInfo.InvariantCulture) : "";
}
