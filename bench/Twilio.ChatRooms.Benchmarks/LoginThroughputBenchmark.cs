using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using HdrHistogram;

namespace Twilio.ChatRooms.Benchmarks;

/// <summary>
/// <c>POST /login</c> throughput and latency on the sample web host, a child process on loopback with its in-process
/// emulator (no injected latency), at 8 and 64 requests in flight: a closed loop, each worker sending its next request
/// when the last one is answered.
/// </summary>
internal static class LoginThroughputBenchmark
{
    public static async Task<string> RunAsync(bool quick)
    {
        var requests = quick ? 500 : 2_000;
        var warmUp = quick ? 100 : 200;
        var table = new StringBuilder()
            .AppendLine("## POST /login throughput and latency (web host + emulator, no injected latency)")
            .AppendLine();

        var dll = FindHost();
        if (dll is null)
        {
            return table.AppendLine("Skipped: build the host first with `dotnet build samples/WebApiHost -c Release -p:SkipClientBuild=true`.").ToString();
        }

        var dataDirectory = Directory.CreateTempSubdirectory("chatrooms-bench-");
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var host = StartHost(dll, port, dataDirectory.FullName);
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = baseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            await WaitForHealthAsync(client, host);

            // Warm-up: JIT, connections, the host's caches.
            await LoadAsync(client, 8, warmUp, i => $"warm-{i}");

            table.AppendLine("| users | concurrency | requests | errors | logins/s | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |")
                .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var new8 = await LoadAsync(client, 8, requests, i => $"new-8-{i}");
            Row(table, "new", 8, requests, new8);
            var new64 = await LoadAsync(client, 64, requests, i => $"new-64-{i}");
            Row(table, "new", 64, requests, new64);

            // Returning users: the same identities again, already members of every room.
            var returning = await LoadAsync(client, 64, requests, i => $"new-64-{i}");
            Row(table, "returning", 64, requests, returning);

            var rooms = await CountRoomsAsync(client);
            table.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Closed loop: N workers each send their next login as soon as the last one is answered, {requests:N0} ")
                .AppendLine(CultureInfo.InvariantCulture, $"requests per row after {warmUp} warm-up logins; latency recorded in an HdrHistogram (µs, 3 digits). ")
                .AppendLine(CultureInfo.InvariantCulture, $"The host (Release, a child process on 127.0.0.1, login rate limit lifted) seeds {rooms} room(s); each ")
                .AppendLine("new login creates the user, lists the rooms, adds the user to each and signs a token, over loopback HTTP to ")
                .AppendLine("the emulator mounted in the same process (state in SQLite in a temp directory); the load generator shares the ")
                .AppendLine(CultureInfo.InvariantCulture, $"2 cores with it. From 8 to 64 in flight, new-user throughput goes from {Rate(new8, requests):N0} to {Rate(new64, requests):N0} logins/s while ")
                .AppendLine(CultureInfo.InvariantCulture, $"p50 goes from {P(new8, 50):F0} to {P(new64, 50):F0} ms: 8× the concurrency buys {Rate(new64, requests) / Rate(new8, requests):F1}× the throughput for {P(new64, 50) / P(new8, 50):F1}× the ")
                .AppendLine("median latency, so beyond the point where the 2 cores are busy, extra logins in flight only queue ")
                .AppendLine("(p50 ≈ concurrency / throughput, Little's law). Returning users, whose login only reads (memberships in one ")
                .AppendLine(CultureInfo.InvariantCulture, $"call) and, once members of every room, write nothing, reach {Rate(returning, requests):N0} logins/s at 64, {Rate(returning, requests) / Rate(new64, requests):F1}× the new-user rate, which points at the ")
                .AppendLine("emulator's writes (user and participant rows) as the new-user bottleneck; that is the emulator's cost, not ")
                .AppendLine("Twilio's, and was not profiled further here. This is a closed loop, not the open loop the issue asks for: ")
                .AppendLine("under overload it under-reports tail latency (coordinated omission), so read these as service times at ")
                .AppendLine("saturation, not latencies at a fixed arrival rate.");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }

            try
            {
                dataDirectory.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return table.ToString();
    }

    private sealed record LoadResult(LongHistogram Histogram, int Errors, TimeSpan Elapsed, string? FirstError);

    private static async Task<LoadResult> LoadAsync(HttpClient client, int concurrency, int requests, Func<int, string> username)
    {
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var histograms = new LongHistogram[concurrency];
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var histogram = histograms[w] = new LongHistogram(60_000_000, 3);
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsJsonAsync("/login", new { username = username(i) });
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"HTTP {(int)response.StatusCode}", null);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.GetType().Name, null);
                }

                histogram.RecordValue((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = watch.Elapsed;
        var total = new LongHistogram(60_000_000, 3);
        foreach (var h in histograms)
        {
            total.Add(h);
        }

        return new LoadResult(total, errors, elapsed, firstError);
    }

    private static double Rate(LoadResult r, int requests) => requests / r.Elapsed.TotalSeconds;

    private static double P(LoadResult r, double percentile) => r.Histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static void Row(StringBuilder table, string users, int concurrency, int requests, LoadResult r)
    {
        static double Ms(long micros) => micros / 1000.0;
        var h = r.Histogram;
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {users} | {concurrency} | {requests:N0} | {r.Errors}{(r.FirstError is null ? "" : $" ({r.FirstError})")} | {requests / r.Elapsed.TotalSeconds:N0} | {Ms(h.GetValueAtPercentile(50)):F1} | {Ms(h.GetValueAtPercentile(99)):F1} | {Ms(h.GetValueAtPercentile(99.9)):F1} | {Ms(h.GetMaxValue()):F1} |");
    }

    private static async Task<int> CountRoomsAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/login", new { username = "room-counter" });
        var body = await response.Content.ReadFromJsonAsync<RoomCount>();
        return body?.Chatrooms?.Length ?? 0;
    }

    private sealed record RoomCount(string[][]? Chatrooms);

    private static string? FindHost()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "WebApiHost", "bin", "Release", "net10.0", "WebApiHost.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process StartHost(string dll, int port, string dataDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory, // no .env with Twilio credentials beside it: the emulator back end
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     dll, "--urls", $"http://127.0.0.1:{port}", "--Emulator:DataDirectory", dataDirectory,
                     "--Login:PermitsPerMinute", "1000000", "--Logging:LogLevel:Default", "Warning",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("TWILIO", StringComparison.OrdinalIgnoreCase)
                                                              || k.StartsWith("Twilio__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the web host");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForHealthAsync(HttpClient client, Process host)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"the web host exited with code {host.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the web host did not answer /health within 30 s");
    }
}
