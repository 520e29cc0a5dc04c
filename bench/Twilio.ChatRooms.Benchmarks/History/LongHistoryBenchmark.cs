using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.History;

/// <summary>
/// Writes to other conversations per second while clients page one conversation's long history over REST, against the
/// same writes with nobody paging (the baseline, in the same round), and against clients paging a short conversation.
/// A page used to copy the whole conversation inside the store's one lock, so paging a long history stalled every
/// writer; a page now costs what it holds.
/// </summary>
internal static class LongHistoryBenchmark
{
    private const int Writers = 4;
    private const int Pagers = 4;
    private const int PageSize = 50;
    private const int ShortHistory = 100;
    private const int SeedParallelism = 8;

    private enum Phase
    {
        Baseline,
        ShortHistory,
        LongHistory,
    }

    public static async Task<string> RunAsync(bool quick)
    {
        var longHistory = quick ? 20_000 : 100_000;
        var rounds = quick ? 1 : 3;
        var phaseTime = TimeSpan.FromSeconds(quick ? 2 : 4);
        await using var server = await ConversationsEmulatorServer.StartAsync();
        using var http = Client(server);

        var seeding = Stopwatch.StartNew();
        var longOne = await SeedAsync(http, longHistory);
        var shortOne = await SeedAsync(http, ShortHistory);
        var others = new string[Writers];
        for (var i = 0; i < others.Length; i++)
        {
            others[i] = await CreateConversationAsync(http, $"writer {i}");
        }

        seeding.Stop();

        var results = new List<Dictionary<Phase, Result>>();
        for (var round = 0; round < rounds; round++)
        {
            var phases = new Dictionary<Phase, Result>();
            foreach (var phase in Enum.GetValues<Phase>())
            {
                var target = phase == Phase.LongHistory ? longOne : phase == Phase.ShortHistory ? shortOne : null;
                phases[phase] = await MeasureAsync(http, others, target, phaseTime);
            }

            results.Add(phases);
        }

        return Report(results, longHistory, phaseTime, seeding.Elapsed);
    }

    /// <summary>One phase: the writers, and the pagers when there is a conversation to page, for <paramref name="time"/>.</summary>
    private static async Task<Result> MeasureAsync(HttpClient http, string[] others, string? paged, TimeSpan time)
    {
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        using var stop = new CancellationTokenSource(time);
        var writes = 0L;
        var pages = 0L;
        var pageTimes = new List<double>();
        var writerTasks = others.Select(conversation => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                using var content = new FormUrlEncodedContent([new("Author", "writer"), new("Body", $"write {n++}")]);
                using var response = await http.PostAsync($"v1/Conversations/{conversation}/Messages", content, CancellationToken.None);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref writes);
            }
        }));
        var pagerTasks = paged is null ? [] : Enumerable.Range(0, Pagers).Select(p => Task.Run(async () =>
        {
            // Each pager walks from either end (newest first, oldest first), five pages at a time, as a client
            // scrolling back through a history does.
            var times = new List<double>();
            var first = $"v1/Conversations/{paged}/Messages?PageSize={PageSize}" + (p % 2 == 0 ? "&Order=desc" : "");
            while (!stop.IsCancellationRequested)
            {
                string? url = first;
                for (var i = 0; i < 5 && url is not null && !stop.IsCancellationRequested; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var page = await http.GetFromJsonAsync<JsonElement>(url, CancellationToken.None);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref pages);
                    url = page.GetProperty("meta").GetProperty("next_page_url").GetString();
                }
            }

            lock (pageTimes)
            {
                pageTimes.AddRange(times);
            }
        }));
        await Task.WhenAll([.. writerTasks, .. pagerTasks]);
        pageTimes.Sort();
        return new Result(writes / time.TotalSeconds, pages / time.TotalSeconds,
            pageTimes.Count == 0 ? double.NaN : pageTimes[pageTimes.Count / 2],
            (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1e6, Environment.WorkingSet / 1e6);
    }

    private static string Report(List<Dictionary<Phase, Result>> rounds, int longHistory, TimeSpan phaseTime, TimeSpan seeding)
    {
        string Each(Func<Dictionary<Phase, Result>, double> value, string format) =>
            string.Join(" / ", rounds.Select(r => value(r).ToString(format, CultureInfo.InvariantCulture)));

        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"## Writes to other conversations while clients page a {longHistory:N0}-message conversation (REST)")
            .AppendLine()
            .AppendLine("| clients paging | writes/s, each round | median | of the baseline (median of the rounds' ratios) | pages/s (median) | ms a page (median of the medians) | allocated in the phase (MB, median) | working set after (MB, median) |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (phase, label) in new[]
        {
            (Phase.Baseline, "nobody (the baseline)"),
            (Phase.ShortHistory, $"{Pagers} clients, a {ShortHistory}-message conversation"),
            (Phase.LongHistory, $"{Pagers} clients, the {longHistory:N0}-message conversation"),
        })
        {
            var ratios = rounds.Select(r => r[phase].WritesPerSecond / r[Phase.Baseline].WritesPerSecond).ToArray();
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {Each(r => r[phase].WritesPerSecond, "N0")} | {BenchmarkReport.Median(rounds.Select(r => r[phase].WritesPerSecond)):N0} | " +
                $"{BenchmarkReport.Median(ratios):P1} ({ratios.Min():P1} to {ratios.Max():P1}) | " +
                $"{(phase == Phase.Baseline ? "" : BenchmarkReport.Median(rounds.Select(r => r[phase].PagesPerSecond)).ToString("N0", CultureInfo.InvariantCulture))} | " +
                $"{(phase == Phase.Baseline ? "" : BenchmarkReport.Median(rounds.Select(r => r[phase].MedianPageMs)).ToString("F1", CultureInfo.InvariantCulture))} | " +
                $"{BenchmarkReport.Median(rounds.Select(r => r[phase].AllocatedMb)):N0} | {BenchmarkReport.Median(rounds.Select(r => r[phase].WorkingSetMb)):N0} |");
        }

        // The claim: paging a long history costs writers elsewhere what paging a short one does (both take CPU from them).
        var longAgainstShort = rounds.Select(r => r[Phase.LongHistory].WritesPerSecond / r[Phase.ShortHistory].WritesPerSecond).ToArray();
        return table.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture,
                $"Writes while the {longHistory:N0}-message conversation is paged, against while the {ShortHistory}-message one is: **{BenchmarkReport.Median(longAgainstShort):F2}×** ")
            .AppendLine(CultureInfo.InvariantCulture, $"(median of the rounds' ratios; {string.Join(" / ", longAgainstShort.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{rounds.Count} round(s) on one in-process emulator (its clients in the same process, over loopback HTTP); ")
            .AppendLine(CultureInfo.InvariantCulture, $"each round runs the three phases in turn, {phaseTime.TotalSeconds:F0} s each: {Writers} writers each posting messages to ")
            .AppendLine(CultureInfo.InvariantCulture, $"a conversation of its own as fast as answered, and in the last two, {Pagers} clients reading pages of {PageSize} ")
            .AppendLine("(half newest first, half oldest first, following `next_page_url` five pages, then again). The ratio compares each ")
            .AppendLine(CultureInfo.InvariantCulture, $"phase's writes with the same round's baseline. Seeding the conversations over REST took {seeding.TotalSeconds:F0} s.")
            .ToString();
    }

    private static async Task<string> SeedAsync(HttpClient http, int messages)
    {
        var sid = await CreateConversationAsync(http, $"history of {messages}");
        var next = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, SeedParallelism), async (_, cancel) =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < messages)
            {
                using var content = new FormUrlEncodedContent([new("Author", $"author-{n % 7}"), new("Body", $"message {n} of the long history")]);
                using var response = await http.PostAsync($"v1/Conversations/{sid}/Messages", content, cancel);
                response.EnsureSuccessStatusCode();
            }
        });
        return sid;
    }

    private static async Task<string> CreateConversationAsync(HttpClient http, string name)
    {
        using var content = new FormUrlEncodedContent([new("FriendlyName", name)]);
        using var response = await http.PostAsync("v1/Conversations", content);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sid").GetString()!;
    }

    private static HttpClient Client(ConversationsEmulatorServer server)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(server.BaseAddress + "/") };
        http.DefaultRequestHeaders.Authorization = EmulatorClients.Basic(server.Credentials, useAccountToken: true);
        return http;
    }

    private sealed record Result(double WritesPerSecond, double PagesPerSecond, double MedianPageMs, double AllocatedMb, double WorkingSetMb);
}
