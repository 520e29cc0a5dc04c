using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// Real-time fan-out through twilsock: the emulator against a minimal websocket broadcaster that speaks the same
/// framing, each in a child process on loopback, under the same open-loop load of raw websocket clients. For each
/// configuration a ladder of fixed rates finds the highest each server sustains with p99 under <see cref="P99Bound"/>
/// and nothing lost, in <see cref="Rounds"/> rounds of fresh processes; the ratio of the two servers' medians is the
/// emulator's share of the baseline. Then one client stops reading, to show what that does to everyone else.
/// </summary>
internal static class FanoutBenchmark
{
    public static readonly TimeSpan P99Bound = TimeSpan.FromMilliseconds(100);

    /// <summary>The ladder, in deliveries per second (sends/s × room size): doubling from the first, never above the last.</summary>
    public const int FirstRate = 1_000;
    public const int MaxRate = 64_000;
    public const int WarmUpRate = 4_000;

    /// <summary>The warm-up's steps, and the most methods either process may compile in one for the JIT to count as quiet.</summary>
    public static readonly TimeSpan WarmUpStep = TimeSpan.FromSeconds(2);
    public const int QuietJit = 10;

    /// <summary>Bisection steps after the ladder's first failure (one in quick mode).</summary>
    public const int RefineSteps = 3;

    /// <summary>
    /// Ladders per server and configuration, each in a fresh process (one in quick mode). Near the top both servers share
    /// the 2 cores with the load generator, and one process's ladder moves by up to a third from the next one's (its
    /// JIT, its heaps): the median of three is what is compared.
    /// </summary>
    public const int Rounds = 3;

    public sealed record Config(int Clients, int RoomSize);

    /// <summary>One server's ladder in one configuration and round; <see cref="Stall"/> (last round only) holds the same step without and with a staller.</summary>
    public sealed record ServerRun(string Server, Config Config, int Round, TimeSpan Ramp, List<StepResult> Steps, StepResult? Sustained,
        ServerMemory? Connected, ServerMemory? AfterLadder, (StepResult Without, StepResult With)? Stall, string? Failure)
    {
        /// <summary>How long the warm-up took (until the JIT was quiet, or its limit).</summary>
        public TimeSpan WarmUp { get; init; }
    }


    /// <summary>What the staller should be sent in its step: three times the emulator's default bound, so it is clearly past it.</summary>
    public const int StallFrames = 3 * Twilio.ChatRooms.Emulator.ClientProtocolOptions.DefaultMaxQueuedFramesPerConnection;

    public static async Task<string> RunAsync(bool quick)
    {
        Config[] configs = quick
            ? [new(1_000, 10), new(1_000, 100)]
            : [new(1_000, 10), new(1_000, 100), new(10_000, 10), new(10_000, 100)];
        var settings = new FanoutReport.Settings(quick, StepDuration: TimeSpan.FromSeconds(quick ? 1.5 : 4), Drain: TimeSpan.FromSeconds(2))
        {
            MaxWarmUp = TimeSpan.FromSeconds(quick ? 10 : 40),
            StallDuration = TimeSpan.FromSeconds(quick ? 4 : 8),
            MaxStallDuration = TimeSpan.FromSeconds(quick ? 8 : 40),
        };
        var rampLimit = TimeSpan.FromSeconds(quick ? 60 : 180);

        var rounds = quick ? 1 : Rounds;
        var runs = new List<ServerRun>();
        foreach (var (config, index) in configs.Select((c, i) => (c, i)))
        {
            for (var round = 1; round <= rounds; round++)
            {
                // Alternate which server goes first (minimal, emulator; emulator, minimal; ...), so that drift in the
                // machine's load does not always favour the same one; the staller only in the last round.
                string[] servers = (index + round) % 2 == 1 ? [FanoutServer.Minimal, FanoutServer.Emulator] : [FanoutServer.Emulator, FanoutServer.Minimal];
                foreach (var server in servers)
                {
                    var run = await RunServerAsync(server, config, round, settings, rampLimit, withStaller: round == rounds);
                    Console.WriteLine($"fan-out {server} {config.Clients}×{config.RoomSize} round {round}: ramp {run.Ramp.TotalSeconds:F1} s, " +
                                      $"sustained {run.Sustained?.OfferedDeliveriesPerSecond ?? 0:N0} deliveries/s" +
                                      (run.Stall is { } stalled ? $", p99 {stalled.Without.P(99):F1} → {stalled.With.P(99):F1} ms with a staller" : "") + $" {run.Failure}");
                    runs.Add(run);
                }
            }
        }

        // The ladder runs both servers with server GC, as an ASP.NET Core host (the web host) runs the emulator. The
        // stand-alone emulator, `conversations-emulator`, runs with the runtime's default, workstation GC, which keeps a
        // smaller heap: the memory of the largest configurations once more, connected only, that way.
        var memoryRuns = new List<ServerRun>();
        foreach (var config in configs.Where(c => c.Clients == configs.Max(m => m.Clients)))
        {
            foreach (var server in new[] { FanoutServer.Minimal, FanoutServer.Emulator })
            {
                var run = await RunServerAsync(server, config, round: 0, settings, rampLimit, serverGc: false, memoryOnly: true);
                Console.WriteLine($"fan-out memory, workstation GC, {server} {config.Clients}×{config.RoomSize}: {run.Connected?.WorkingSet / 1048576 ?? 0} MB {run.Failure}");
                memoryRuns.Add(run);
            }
        }

        return FanoutReport.Write(runs, memoryRuns, settings);
    }

    /// <summary>
    /// One server in one configuration (with server GC, or the runtime's default): connect, warm up, read its memory;
    /// then, unless <paramref name="memoryOnly"/>, the ladder, and with <paramref name="withStaller"/> the staller.
    /// </summary>
    private static async Task<ServerRun> RunServerAsync(string server, Config config, int round, FanoutReport.Settings settings, TimeSpan rampLimit,
        bool serverGc = true, bool memoryOnly = false, bool withStaller = false)
    {
        await using var process = await FanoutServerProcess.StartAsync(server, serverGc);
        var steps = new List<StepResult>();
        FanoutLoad load;
        try
        {
            load = await ConnectAsync(server, process, config, rampLimit);
        }
        catch (TimeoutException e)
        {
            return new ServerRun(server, config, round, rampLimit, steps, null, null, null, null, e.Message);
        }

        await using (load)
        {
            // Warm-up, not reported: buffers, and the JIT on both sides (the load generator's too). Tiered compilation
            // recompiles the hot methods in the background for tens of seconds under load, the emulator's thousands more
            // than the baseline's; a ladder that climbed meanwhile measured the JIT. So steps of WarmUpStep until neither
            // process compiled more than QuietJit methods in one, for at most MaxWarmUp (3 s when only memory is read).
            var warmUp = Stopwatch.StartNew();
            var warmUpLimit = memoryOnly ? TimeSpan.FromSeconds(3) : settings.MaxWarmUp;
            while (warmUp.Elapsed < warmUpLimit)
            {
                var loadJit = JitInfo.GetCompiledMethodCount();
                var step = await RunStepAsync(WarmUpRate / config.RoomSize, WarmUpStep);
                if (step.Server!.JitCompiled <= QuietJit && JitInfo.GetCompiledMethodCount() - loadJit <= QuietJit)
                {
                    break;
                }
            }

            warmUp.Stop();

            // What the connections cost: the server's memory with every client connected and subscribed, and warm.
            var connected = await process.MemoryAsync();
            if (memoryOnly)
            {
                return new ServerRun(server, config, round, load.Ramp, steps, null, connected, null, null, null) { WarmUp = warmUp.Elapsed };
            }

            // Then the ladder, doubling; between the last rate that passed and the first that failed, bisection
            // (RefineSteps times), so that the highest rate sustained is known to within a sixteenth of the failing one.
            StepResult? sustained = null;
            int? failedAt = null;
            for (var rate = FirstRate; rate <= MaxRate; rate *= 2)
            {
                if (await StepAsync(rate) is not { } passed)
                {
                    failedAt = rate;
                    break;
                }

                sustained = passed;
            }

            if (failedAt is { } failed && failed > FirstRate)
            {
                var (low, high) = (failed / 2, failed);
                for (var i = 0; i < (settings.Quick ? 1 : RefineSteps); i++)
                {
                    var middle = (low + high) / 2;
                    if (await StepAsync(middle) is { } passed)
                    {
                        (sustained, low) = (passed, middle);
                    }
                    else
                    {
                        high = middle;
                    }
                }
            }

            var afterLadder = await process.MemoryAsync();
            if (!withStaller)
            {
                return new ServerRun(server, config, round, load.Ramp, steps, sustained, connected, afterLadder, null, null) { WarmUp = warmUp.Elapsed };
            }

            // The staller, last (the server may close it): the same step twice at half the sustained rate, first without it,
            // then with it connected, subscribed to every room (so it is sent every message) and not reading from the start.
            // Connected fresh, its socket's kernel buffers are still small, as a client that stalls soon after it connects.
            // The step lasts until the staller has been sent StallFrames, within bounds: in rooms of 100 the rate is low.
            var stallRate = Math.Max(FirstRate, (int)(sustained?.OfferedDeliveriesPerSecond ?? FirstRate) / 2) / config.RoomSize;
            var stallFor = TimeSpan.FromSeconds(Math.Clamp(StallFrames / (double)stallRate, settings.StallDuration.TotalSeconds, settings.MaxStallDuration.TotalSeconds));
            var without = await RunStepAsync(stallRate, stallFor);
            await load.ConnectStallerAsync();
            var with = await RunStepAsync(stallRate, stallFor, stall: true);
            return new ServerRun(server, config, round, load.Ramp, steps, sustained, connected, afterLadder, (without, with), null) { WarmUp = warmUp.Elapsed };
        }

        // One step, with the server's CPU time and garbage collections during it (the load generator counts its own).
        async Task<StepResult> RunStepAsync(int sendsPerSecond, TimeSpan duration, bool stall = false)
        {
            var before = await process.TallyAsync();
            var step = await load.RunAsync(sendsPerSecond, duration, settings.Drain, stall);
            return step with { Server = await process.TallyAsync() - before };
        }

        // A rate passes if one of two tries passes: the machine is shared, and one stall of another process must not end the ladder.
        async Task<StepResult?> StepAsync(int deliveriesPerSecond)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var step = await RunStepAsync(deliveriesPerSecond / config.RoomSize, settings.StepDuration);
                steps.Add(step);
                if (Passes(step))
                {
                    return step;
                }
            }

            return null;
        }
    }

    /// <summary>Connects the load generator's clients to <paramref name="server"/>; the emulator's users, rooms and memberships are created first.</summary>
    public static async Task<FanoutLoad> ConnectAsync(string server, FanoutServerProcess process, Config config, TimeSpan rampLimit) =>
        server == FanoutServer.Emulator
            ? await ConnectToEmulatorAsync(process, config, rampLimit)
            : await FanoutLoad.ConnectAsync(process.TwilsockUrl, process.ServiceSid, config.Clients, config.RoomSize, r => $"CH{r:D5}",
                _ => ValueTask.FromResult("no token needed"), rampLimit);

    private static async Task<FanoutLoad> ConnectToEmulatorAsync(FanoutServerProcess process, Config config, TimeSpan rampLimit)
    {
        var credentials = EmulatorCredentials.Development;
        var rooms = await EmulatorRooms.CreateAsync(process.BaseAddress, credentials, config.Clients, config.RoomSize);
        await using var library = EmulatorBackedLibrary.Create(process.BaseAddress, credentials, o => o.ServiceSid = process.ServiceSid);
        var tokens = library.GetRequiredService<ITokenIssuer>();
        return await FanoutLoad.ConnectAsync(process.TwilsockUrl, process.ServiceSid, config.Clients, config.RoomSize, r => rooms[r],
            async i => (await tokens.IssueAsync(EmulatorRooms.Identity(i))).Token, rampLimit);
    }

    public static bool Passes(StepResult step) =>
        step.SendErrors == 0 && step.Lost == 0 && step.Closed == 0 && step.P(99) <= P99Bound.TotalMilliseconds;
}
