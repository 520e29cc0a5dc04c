using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace Twilio.ChatRooms.Benchmarks.Login;

/// <summary>What one open-loop step measured: latency from each request's due time, errors, and the time it took.</summary>
internal sealed record LoadResult(int Requests, LongHistogram Histogram, int Errors, TimeSpan Elapsed, string? FirstError)
{
    public double Achieved => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// The load loop: requests sent at a fixed offered rate by the clock, at most a cap in flight (a client's connection
/// pool), each one's latency measured from the time it was due, so waiting for a free slot counts.
/// </summary>
internal static class OpenLoop
{
    /// <summary>Sends <paramref name="requests"/> requests made by <paramref name="newRequest"/> at a fixed rate.</summary>
    public static async Task<LoadResult> RunAsync(HttpClient client, int rate, int requests, int cap, Func<int, HttpRequestMessage> newRequest)
    {
        var errors = 0;
        string? firstError = null;
        var histogram = new LongHistogram(60_000_000, 3);
        using var slots = new SemaphoreSlim(cap);
        var interval = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var logins = new Task[requests];
        for (var i = 0; i < requests; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            logins[i] = LoginAsync(i, due);
        }

        await Task.WhenAll(logins);
        return new LoadResult(requests, histogram, errors, Stopwatch.GetElapsedTime(start), firstError);

        async Task LoginAsync(int index, long due)
        {
            await slots.WaitAsync();
            try
            {
                using var request = newRequest(index);
                using var response = await client.SendAsync(request);
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
            finally
            {
                slots.Release();
                lock (histogram)
                {
                    histogram.RecordValue(Math.Max(0, (long)Stopwatch.GetElapsedTime(due).TotalMicroseconds)); // Task.Delay may wake a little early
                }
            }
        }
    }
}
