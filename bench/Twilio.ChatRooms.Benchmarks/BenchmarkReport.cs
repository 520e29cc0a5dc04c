using System.Runtime.InteropServices;

namespace Twilio.ChatRooms.Benchmarks;

/// <summary>Wraps a benchmark's table in a page that says on what and how it was measured.</summary>
internal static class BenchmarkReport
{
    /// <summary>The 1-minute load average, or "unknown" off Linux: tells whether other work shared the machine.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    /// <summary>The median of a benchmark's rounds (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Document(string tables, bool quick, string[] args, string loadAtStart) => $"""
        # Benchmarks

        Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores,
        {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {(quick ? "quick" : "full")} mode.
        Load average (1 min) {loadAtStart} at the start and {LoadAverage()} at the end{(double.TryParse(loadAtStart, System.Globalization.CultureInfo.InvariantCulture, out var load) && load > Environment.ProcessorCount ? ": the machine was shared with other work (builds, tests), so these numbers are lower and noisier than on a quiet machine" : "")}.

        Command: `dotnet run -c Release --project bench/Twilio.ChatRooms.Benchmarks -- {string.Join(' ', args)}`
        (`--quick` for the quick mode, `--only provisioning|fanout|tokens|login|history|media|webhooks` for one part.)

        {tables}
        """;
}
