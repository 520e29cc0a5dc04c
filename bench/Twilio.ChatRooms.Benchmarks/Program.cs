// Benchmarks, each a ratio against a baseline measured in the same run on the same machine.
//   dotnet run -c Release --project bench/Twilio.ChatRooms.Benchmarks -- [--quick] [--only provisioning|fanout|tokens|login] [--output docs/benchmarks.md]
// The fan-out benchmark runs its hub servers as this executable again, with `--serve emulator|minimal`.
using Twilio.ChatRooms.Benchmarks;
using Twilio.ChatRooms.Benchmarks.Fanout;
using Twilio.ChatRooms.Benchmarks.Tokens;

if (args is [HubServer.Flag, var kind])
{
    await HubServer.RunAsync(kind);
    return;
}

var quick = args.Contains("--quick");
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var output = Option("--output");
var only = Option("--only");

var parts = new (string Name, Func<bool, Task<string>> Run)[]
{
    ("provisioning", LoginProvisioningBenchmark.RunAsync),
    ("fanout", FanoutBenchmark.RunAsync),
    ("tokens", TokenIssuingBenchmark.RunAsync),
    ("login", LoginThroughputBenchmark.RunAsync),
};
var loadAtStart = BenchmarkReport.LoadAverage();
var report = "";
foreach (var (name, run) in parts.Where(p => only is null || p.Name == only))
{
    var started = DateTime.UtcNow;
    report += await run(quick) + Environment.NewLine;
    Console.WriteLine($"{name}: {(DateTime.UtcNow - started).TotalSeconds:F0} s");
}

Console.WriteLine(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, BenchmarkReport.Document(report, quick, args, loadAtStart));
    Console.WriteLine($"written to {output}");
}
