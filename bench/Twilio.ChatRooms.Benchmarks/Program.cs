// Benchmarks, each a ratio against a baseline measured in the same run on the same machine.
//   dotnet run -c Release --project bench/Twilio.ChatRooms.Benchmarks -- [--quick] [--output docs/benchmarks.md]
using Twilio.ChatRooms.Benchmarks;

var quick = args.Contains("--quick");
var outputIndex = Array.IndexOf(args, "--output");
var output = outputIndex >= 0 && outputIndex + 1 < args.Length ? args[outputIndex + 1] : null;

var report = await LoginProvisioningBenchmark.RunAsync(quick);
report += Environment.NewLine + await TokenIssuingBenchmark.RunAsync(quick);
report += Environment.NewLine + await LoginThroughputBenchmark.RunAsync(quick);
Console.WriteLine(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, BenchmarkReport.Document(report, quick, args));
    Console.WriteLine($"written to {output}");
}
