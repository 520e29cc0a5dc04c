// Benchmarks, each a ratio against a baseline measured in the same run on the same machine.
//   dotnet run -c Release --project bench/Twilio.ChatRooms.Benchmarks -- [--quick] [--only provisioning|fanout|tokens|login] [--output docs/benchmarks.md]
// The fan-out benchmark runs its servers (the emulator, a minimal twilsock broadcaster) as this executable again, with `--serve emulator|minimal`.
using System.CommandLine;
using Twilio.ChatRooms.Benchmarks;
using Twilio.ChatRooms.Benchmarks.Fanout;
using Twilio.ChatRooms.Benchmarks.Login;
using Twilio.ChatRooms.Benchmarks.Tokens;

var parts = new (string Name, Func<bool, Task<string>> Run)[]
{
    ("provisioning", LoginProvisioningBenchmark.RunAsync),
    ("fanout", FanoutBenchmark.RunAsync),
    ("tokens", TokenIssuingBenchmark.RunAsync),
    ("login", LoginThroughputBenchmark.RunAsync),
};

var quick = new Option<bool>("--quick") { Description = "A shorter run (under 3 minutes) that checks the benchmarks still work." };
var only = new Option<string?>("--only") { Description = "Run one part only." };
only.AcceptOnlyFromAmong([.. parts.Select(p => p.Name)]);
var output = new Option<FileInfo?>("--output") { Description = "Also write the report, with the machine and the command, to this Markdown file." };
var serve = new Option<string?>(FanoutServer.Flag) { Description = "Internal: run as the fan-out benchmark's server.", Hidden = true };
serve.AcceptOnlyFromAmong("emulator", "minimal");

var root = new RootCommand("Twilio.ChatRooms benchmarks: login provisioning, real-time fan-out over twilsock, token issuing, POST /login.")
{
    quick, only, output, serve,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    if (parseResult.GetValue(serve) is { } kind)
    {
        await FanoutServer.RunAsync(kind);
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
