// Benchmarks, each a ratio against a baseline measured in the same run on the same machine.
//   dotnet run -c Release --project bench/Twilio.ChatRooms.Benchmarks -- [--quick] [--only provisioning|fanout|tokens|login|history|media|webhooks] [--output docs/benchmarks.md]
// For looking into one fan-out rate instead: --hold emulator|minimal [--clients N] [--room-size N] [--sends-per-second N] [--seconds N] [--warm-up-seconds N] [--workstation-gc] [--gc-log FILE] [--webhooks none|at-once|stalled]
// The fan-out benchmark runs its servers (the emulator, a minimal twilsock broadcaster) as this executable again, with `--serve emulator|minimal`.
using System.CommandLine;
using Twilio.ChatRooms.Benchmarks;
using Twilio.ChatRooms.Benchmarks.Fanout;
using Twilio.ChatRooms.Benchmarks.History;
using Twilio.ChatRooms.Benchmarks.Login;
using Twilio.ChatRooms.Benchmarks.Tokens;

var parts = new (string Name, Func<bool, Task<string>> Run)[]
{
    ("provisioning", LoginProvisioningBenchmark.RunAsync),
    ("fanout", FanoutBenchmark.RunAsync),
    ("tokens", TokenIssuingBenchmark.RunAsync),
    ("login", LoginThroughputBenchmark.RunAsync),
    ("history", LongHistoryBenchmark.RunAsync),
    ("media", Twilio.ChatRooms.Benchmarks.Media.MediaThroughputBenchmark.RunAsync),
    ("webhooks", Twilio.ChatRooms.Benchmarks.Webhooks.WebhooksBenchmark.RunAsync),
};

var quick = new Option<bool>("--quick") { Description = "A shorter run that checks the benchmarks still work." };
var only = new Option<string?>("--only") { Description = "Run one part only." };
only.AcceptOnlyFromAmong([.. parts.Select(p => p.Name)]);
var output = new Option<FileInfo?>("--output") { Description = "Also write the report, with the machine and the command, to this Markdown file." };
var serve = new Option<string?>(FanoutServer.Flag) { Description = "Internal: run as the fan-out benchmark's server.", Hidden = true };
serve.AcceptOnlyFromAmong("emulator", "minimal");

var hold = new Option<string?>("--hold") { Description = "Instead of the benchmarks: hold one fan-out server at one rate and print what it did." };
hold.AcceptOnlyFromAmong(FanoutServer.Emulator, FanoutServer.Minimal);
var clients = new Option<int>("--clients") { Description = "With --hold: connections.", DefaultValueFactory = _ => 1_000 };
var roomSize = new Option<int>("--room-size") { Description = "With --hold: connections per room.", DefaultValueFactory = _ => 10 };
var sendsPerSecond = new Option<int>("--sends-per-second") { Description = "With --hold: the rate held.", DefaultValueFactory = _ => 4_800 };
var seconds = new Option<int>("--seconds") { Description = "With --hold: how long it is held.", DefaultValueFactory = _ => 10 };
var warmUpSeconds = new Option<int>("--warm-up-seconds") { Description = "With --hold: the warm-up before it.", DefaultValueFactory = _ => 30 };
var workstationGc = new Option<bool>("--workstation-gc") { Description = "With --hold: the server with workstation GC, not server GC." };
var gcLog = new Option<FileInfo?>("--gc-log") { Description = "With --hold: the server writes a line per garbage collection to this file (its generation, pause, promoted bytes, heap and generation sizes)." };
var webhooks = new Option<string>("--webhooks") { Description = "With --hold emulator: the service's post-event webhook to a receiver answering at once or stalled 5 s, as the webhooks benchmark holds it.", DefaultValueFactory = _ => "none" };
webhooks.AcceptOnlyFromAmong("none", "at-once", "stalled");
gcLog.Validators.Add(r =>
{
    if (r.GetValueOrDefault<FileInfo?>() is { Directory: { Exists: false } directory })
    {
        r.AddError($"--gc-log: the directory {directory.FullName} does not exist.");
    }
});
foreach (var positive in new[] { clients, roomSize, sendsPerSecond, seconds, warmUpSeconds })
{
    positive.Validators.Add(r => { if (r.GetValueOrDefault<int>() <= 0) { r.AddError($"{r.Option.Name} must be above 0."); } });
}

var root = new RootCommand("Twilio.ChatRooms benchmarks: login provisioning, real-time fan-out over twilsock, token issuing, POST /login, paging a long history, media, webhooks.")
{
    quick, only, output, serve, hold, clients, roomSize, sendsPerSecond, seconds, warmUpSeconds, workstationGc, gcLog, webhooks,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    if (parseResult.GetValue(serve) is { } kind)
    {
        await FanoutServer.RunAsync(kind);
        return 0;
    }

    if (parseResult.GetValue(hold) is { } server)
    {
        var get = (Option<int> o) => parseResult.GetValue(o);
        Console.WriteLine(await FanoutHold.RunAsync(new FanoutHold.Settings(server, new FanoutBenchmark.Config(get(clients), get(roomSize)),
            get(sendsPerSecond), TimeSpan.FromSeconds(get(seconds)), TimeSpan.FromSeconds(get(warmUpSeconds)), ServerGc: !parseResult.GetValue(workstationGc), parseResult.GetValue(gcLog),
            parseResult.GetValue(webhooks) switch
            {
                "at-once" => Twilio.ChatRooms.Benchmarks.Webhooks.StalledReceiverFanout.Receiver.AtOnce,
                "stalled" => Twilio.ChatRooms.Benchmarks.Webhooks.StalledReceiverFanout.Receiver.Stalled,
                _ => Twilio.ChatRooms.Benchmarks.Webhooks.StalledReceiverFanout.Receiver.None,
            })));
        return 0;
    }

    var loadAtStart = BenchmarkReport.LoadAverage();
    var report = "";
    foreach (var (name, run) in parts.Where(p => parseResult.GetValue(only) is not { } one || p.Name == one))
    {
        var started = DateTime.UtcNow;
        report += await run(parseResult.GetValue(quick)) + Environment.NewLine;
        Console.WriteLine($"{name}: {(DateTime.UtcNow - started).TotalSeconds:F0} s");
    }

    Console.WriteLine(report);
    if (parseResult.GetValue(output) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, BenchmarkReport.Document(report, parseResult.GetValue(quick), args, loadAtStart), cancellationToken);
        Console.WriteLine($"written to {file.FullName}");
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
