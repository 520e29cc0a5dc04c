using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Media;

/// <summary>
/// The emulator's media service against a minimal Kestrel endpoint that streams the same bytes to and from a file on
/// the same disk (flushed to it, as the emulator does before it answers): upload and download throughput of one file,
/// median of rounds with their spread, and how much the process grows while a much larger file is uploaded (it should
/// not grow with the file).
/// </summary>
internal static class MediaThroughputBenchmark
{
    public static async Task<string> RunAsync(bool quick)
    {
        var fileMb = quick ? 10 : 50;
        // The largest file Twilio (and so the emulator) accepts: a 200 MB one is refused at 150 MB (413/50512).
        var largeMb = quick ? 40 : 150;
        var rounds = 3;
        var work = Directory.CreateTempSubdirectory("media-bench-");
        try
        {
            var source = Path.Combine(work.FullName, "source.bin");
            await WriteRandomAsync(source, fileMb);
            await using var emulator = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = Path.Combine(work.FullName, "emulator"));
            await using var minimal = await MinimalFileServer.StartAsync(Path.Combine(work.FullName, "minimal"));
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = EmulatorClients.Basic(emulator.Credentials);
            var media = $"{emulator.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{emulator.DefaultServiceSid}/Media";

            // A warm-up of each path, not counted.
            var warm = await UploadAsync(http, media, source);
            await DownloadAsync(http, $"{media}/{warm.Sid}/Content");
            var warmMinimal = await UploadAsync(http, minimal.Upload, source);
            await DownloadAsync(http, minimal.Download(warmMinimal.Sid));

            var results = new List<Round>();
            for (var round = 0; round < rounds; round++)
            {
                var up = await UploadAsync(http, media, source);
                var upMinimal = await UploadAsync(http, minimal.Upload, source);
                var down = await DownloadAsync(http, $"{media}/{up.Sid}/Content");
                var downMinimal = await DownloadAsync(http, minimal.Download(upMinimal.Sid));
                results.Add(new Round(fileMb / up.Seconds, fileMb / upMinimal.Seconds, fileMb / down, fileMb / downMinimal));
            }

            var large = Path.Combine(work.FullName, "large.bin");
            await WriteRandomAsync(large, largeMb);
            var growth = await MemoryDuringUploadAsync(http, media, large);
            return Report(results, fileMb, largeMb, growth);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task WriteRandomAsync(string path, int megabytes)
    {
        var piece = new byte[1024 * 1024];
        await using var file = File.Create(path);
        for (var i = 0; i < megabytes; i++)
        {
            Random.Shared.NextBytes(piece);
            await file.WriteAsync(piece);
        }
    }

    private static async Task<(string Sid, double Seconds)> UploadAsync(HttpClient http, string url, string path)
    {
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file, 128 * 1024);
        content.Headers.ContentType = new("application/octet-stream");
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync(new Uri(url), content);
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();
        response.EnsureSuccessStatusCode();
        return (JsonDocument.Parse(body).RootElement.GetProperty("sid").GetString()!, watch.Elapsed.TotalSeconds);
    }

    private static async Task<double> DownloadAsync(HttpClient http, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await stream.CopyToAsync(Stream.Null, 128 * 1024);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The process's managed heap and working set before, and their peaks while the file is uploaded (sampled every 10 ms).</summary>
    private static async Task<Growth> MemoryDuringUploadAsync(HttpClient http, string media, string path)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var heapBefore = GC.GetTotalMemory(false);
        var setBefore = self.WorkingSet64;
        long heapPeak = heapBefore, setPeak = setBefore;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
                setPeak = Math.Max(setPeak, self.WorkingSet64);
                await Task.Delay(10);
            }
        });
        await UploadAsync(http, media, path);
        await stop.CancelAsync();
        await sampler;
        return new Growth((heapPeak - heapBefore) / 1048576.0, (setPeak - setBefore) / 1048576.0);
    }

    private static string Report(List<Round> rounds, int fileMb, int largeMb, Growth growth)
    {
        string Row(string what, Func<Round, double> emulator, Func<Round, double> minimal)
        {
            var ratios = rounds.Select(r => emulator(r) / minimal(r)).ToList();
            string Each(Func<Round, double> f) => string.Join(", ", rounds.Select(r => f(r).ToString("N0", CultureInfo.InvariantCulture)));
            return $"| {what} | {Each(minimal)} | {Each(emulator)} | **{BenchmarkReport.Median(ratios):F2}×** ({ratios.Min():F2} to {ratios.Max():F2}) |";
        }

        return string.Join(Environment.NewLine,
        [
            $"## Media: a {fileMb} MB file up and down, against a minimal Kestrel endpoint",
            "",
            $"One {fileMb} MB file of random bytes, uploaded (`POST {{mount}}/mcs/v1/Services/{{IS}}/Media`, Basic credentials) and " +
            "downloaded (`…/Media/{ME}/Content`) over loopback HTTP/1.1, against a minimal Kestrel endpoint in the same process " +
            "that streams the request body to a file on the same disk, flushes it (`Flush(true)`) and serves it back with " +
            $"`Results.File`; the emulator has a data directory (pending file, flush, rename, then its record). {rounds.Count} rounds " +
            "after a warm-up of each path; MB/s per round, the ratio emulator / minimal as the median of the rounds' ratios (lowest to highest).",
            "",
            "| direction | minimal (MB/s, each round) | emulator (MB/s, each round) | emulator / minimal |",
            "| --- | --- | --- | --- |",
            Row("upload", r => r.Upload, r => r.UploadMinimal),
            Row("download", r => r.Download, r => r.DownloadMinimal),
            "",
            $"While one {largeMb} MB file is uploaded, the process (emulator and client in one) grows by at most " +
            $"**{growth.HeapMb:F1} MB** of managed heap and **{growth.WorkingSetMb:F1} MB** of working set (peaks sampled every 10 ms, " +
            "against the values after a full collection before the upload): the upload is streamed, so neither grows with the file.",
            "",
        ]);
    }

    private sealed record Round(double Upload, double UploadMinimal, double Download, double DownloadMinimal);

    private sealed record Growth(double HeapMb, double WorkingSetMb);

    /// <summary>The baseline: stream the body to a file and flush it; serve a file. Nothing else.</summary>
    private sealed class MinimalFileServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MinimalFileServer(WebApplication app, string root)
        {
            _app = app;
            Upload = root + "/upload";
            Root = root;
        }

        public string Upload { get; }

        private string Root { get; }

        public string Download(string name) => $"{Root}/download/{name}";

        public static async Task<MinimalFileServer> StartAsync(string directory)
        {
            Directory.CreateDirectory(directory);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/upload", async (HttpContext context) =>
            {
                var name = Guid.NewGuid().ToString("N");
                await using (var file = new FileStream(Path.Combine(directory, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
                {
                    await context.Request.Body.CopyToAsync(file, 128 * 1024);
                    file.Flush(flushToDisk: true);
                }

                return Results.Json(new { sid = name });
            });
            app.MapGet("/download/{name}", (string name) =>
                Results.File(Path.Combine(directory, name), "application/octet-stream", enableRangeProcessing: true));
            await app.StartAsync();
            var address = app.Urls.First().TrimEnd('/');
            return new MinimalFileServer(app, address);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
