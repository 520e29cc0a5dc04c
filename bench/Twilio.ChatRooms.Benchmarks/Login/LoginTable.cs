using System.Globalization;
using System.Text;
using HdrHistogram;

namespace Twilio.ChatRooms.Benchmarks.Login;

/// <summary>The login series' table: one header, one row per open-loop step.</summary>
internal static class LoginTable
{
    /// <summary>Appends the table's header.</summary>
    public static StringBuilder AppendHeader(StringBuilder table) => table
        .AppendLine("| users | in-flight cap | offered/s | achieved/s | requests | errors | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |")
        .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

    /// <summary>Appends the row of one step.</summary>
    public static void AppendRow(StringBuilder table, string users, int cap, int rate, LoadResult r)
    {
        static double Ms(long micros) => micros / 1000.0;
        var h = r.Histogram;
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {users} | {cap} | {rate:N0} | {r.Achieved:N0} | {r.Requests:N0} | {r.Errors}{(r.FirstError is null ? "" : $" ({r.FirstError})")} | {Ms(h.GetValueAtPercentile(50)):F1} | {Ms(h.GetValueAtPercentile(99)):F1} | {Ms(h.GetValueAtPercentile(99.9)):F1} | {Ms(h.GetMaxValue()):F1} |");
    }
}
