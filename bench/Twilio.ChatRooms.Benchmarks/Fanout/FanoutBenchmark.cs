using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// Real-time fan-out through twilsock: the emulator against a minimal websocket broadcaster that speaks the same
/// framing, each in a child process on loopback, under the same open-loop load of raw websocket clients. For each
/// configuration a ladder of fixed rates finds the highest each server sustains with p99 under <see cref="P99Bound"/>
/// and nothing lost; the ratio of the two is the emulator's share of the baseline. Then one client stops reading, to
/// show what that does to everyone else.
/// </summary>
internal static class FanoutBenchmark
{
    public static readonly TimeSpan P99Bound = TimeSpan.FromMilliseconds(100);

    /// <summary>The ladder, in deliveries per second (sends/s × room size): doubling from the first, never above the last.</summary>
    public const int FirstRate = 1_000;
    public const int MaxRate = 64_000;
    public const int WarmUpRate = 4_000;

    public sealed record Config(int Clients, int RoomSize);

    /// <summary>One server's ladder in one configuration; <see cref="Stall"/> holds the same step without and with a staller.</summary>
    public sealed record ServerRun(string Server, Config Config, TimeSpan Ramp, List<StepResult> Steps, StepResult? Sustained,
        long WorkingSet, long LiveHeap, (StepResult Without, StepResult With)? Stall, string? Failure);

    public static async Task<string> RunAsync(bool quick)
    {
        Config[] configs = quick
            ? [new(1_000, 10), new(1_000, 100)]
            : [new(1_000, 10), new(1_000, 100), new(10_000, 10), new(10_000, 100)];
        var settings = new FanoutReport.Settings(quick, StepDuration: TimeSpan.FromSeconds(quick ? 1.5 : 4), Drain: TimeSpan.FromSeconds(2))
        {
            StallDuration = TimeSpan.FromSeconds(quick ? 4 : 8),
        };
        var rampLimit = TimeSpan.FromSeconds(quick ? 60 : 180);

        var runs = new List<ServerRun>();
        foreach (var (config, index) in configs.Select((c, i) => (c, i)))
        {
            // Alternate which server goes first, so that drift in the machine's load does not always favour the same one.
            string[] servers = index % 2 == 0 ? [FanoutServer.Minimal, FanoutServer.Emulator] : [FanoutServer.Emulator, FanoutServer.Minimal];
            foreach (var server in servers)
            {
                var run = await RunServerAsync(server, config, settings, rampLimit);
                Console.WriteLine($"fan-out {server} {config.Clients}×{config.RoomSize}: ramp {run.Ramp.TotalSeconds:F1} s, " +
                                  $"sustained {run.Sustained?.OfferedDeliveriesPerSecond ?? 0:N0} deliveries/s, " +
                                  $"p99 {run.Stall?.Without.P(99):F1} → {run.Stall?.With.P(99):F1} ms with a staller {run.Failure}");
                runs.Add(run);
            }
        }

        return FanoutReport.Write(runs, settings);
    }

    private static async Task<ServerRun> RunServerAsync(string server, Config config, FanoutReport.Settings settings, TimeSpan rampLimit)
    {
        await using var process = await FanoutServerProcess.StartAsync(server);
        var steps = new List<StepResult>();
        FanoutLoad load;
        try
        {
            load = server == FanoutServer.Emulator
                ? await ConnectToEmulatorAsync(process, config, rampLimit)
                : await FanoutLoad.ConnectAsync(process.TwilsockUrl, process.ServiceSid, config.Clients, config.RoomSize, r => $"CH{r:D5}",
                    _ => ValueTask.FromResult("no token needed"), rampLimit);
        }
        catch (TimeoutException e)
        {
            return new ServerRun(server, config, rampLimit, steps, null, 0, 0, null, e.Message);
        }

        await using (load)
        {
            // Warm-up, not reported: the JIT on both sides (the load generator's too), buffers.
            await load.RunAsync(WarmUpRate / config.RoomSize, TimeSpan.FromSeconds(3), settings.Drain);

            // Then the ladder. One step between the last pass and the first failure halves its coarseness.
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

            if (failedAt is { } failed && failed > FirstRate && await StepAsync(failed * 3 / 4) is { } between)
            {
                sustained = between;
            }

            var (workingSet, liveHeap) = await process.MemoryAsync();

            // The staller, last (the server may close it), subscribed to every room: the same step twice, at half the
            // sustained rate and twice as long as a ladder step, the second time with the staller not reading.
            await load.ConnectStallerAsync();
            var stallRate = Math.Max(FirstRate, (int)(sustained?.OfferedDeliveriesPerSecond ?? FirstRate) / 2) / config.RoomSize;
            var without = await load.RunAsync(stallRate, settings.StallDuration, settings.Drain);
            var with = await load.RunAsync(stallRate, settings.StallDuration, settings.Drain, stall: true);
            return new ServerRun(server, config, load.Ramp, steps, sustained, workingSet, liveHeap, (without, with), null);
        }

        // A rate passes if one of two tries passes: the machine is shared, and one stall of another process must not end the ladder.
        async Task<StepResult?> StepAsync(int deliveriesPerSecond)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var step = await load.RunAsync(deliveriesPerSecond / config.RoomSize, settings.StepDuration, settings.Drain);
                steps.Add(step);
                if (Passes(step))
                {
                    return step;
                }
            }

            return null;
        }
    }

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
