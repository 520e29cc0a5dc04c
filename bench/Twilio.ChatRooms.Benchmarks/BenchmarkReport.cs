using System.Runtime.InteropServices;

namespace Twilio.ChatRooms.Benchmarks;

/// <summary>Wraps a benchmark's table in a page that says on what and how it was measured.</summary>
internal static class BenchmarkReport
{
    public static string Document(string tables, bool quick, string[] args) => $"""
        # Benchmarks

        Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores,
        {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {(quick ? "quick" : "full")} mode.

        Command: `dotnet run -c Release --project bench/Twilio.ChatRooms.Benchmarks -- {string.Join(' ', args)}`

        {tables}
        """;
}
