using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>What one fixed-rate step measured; latency in µs from each message's scheduled send time.</summary>
internal sealed record StepResult(
    int SendsPerSecond, int RoomSize, TimeSpan Duration, int Sent, int SendErrors, long Expected, long Received, int Closed,
    HistogramBase Latency)
{
    public long Lost => Math.Max(0, Expected - Received);

    public double OfferedDeliveriesPerSecond => (double)SendsPerSecond * RoomSize;

    public double DeliveriesPerSecond => Received / Duration.TotalSeconds;

    public double P(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;
}

/// <summary>
/// The load generator: SignalR clients, each in one room, sending open loop. Send i is scheduled at
/// <c>start + i / rate</c> by the clock, whatever the replies do, from a client spread over the rooms; every member of
/// the room (the sender included) should receive it, and its latency runs from the scheduled time, so queueing at the
/// sender, the server or the receiver all count.
/// </summary>
internal sealed class FanoutLoad : IAsyncDisposable
{
    private const int RampParallelism = 32;

    private readonly HubConnection[] _clients;
    private readonly string[] _roomOf;
    private readonly int _roomSize;
    private readonly Lock _gate = new();
    private readonly LongHistogram _latency = new(60_000_000, 3);
    private int _step;
    private long _received;
    private int _pending;
    private int _sendErrors;
    private int _closed;

    private FanoutLoad(int clients, int roomSize, Func<int, string> roomKey)
    {
        _clients = new HubConnection[clients];
        _roomOf = Enumerable.Range(0, clients).Select(i => roomKey(i / roomSize)).ToArray();
        _roomSize = roomSize;
    }

    public TimeSpan Ramp { get; private set; }

    /// <summary>
    /// Connects <paramref name="clients"/> clients, <see cref="RampParallelism"/> at a time, client i in room
    /// i / roomSize; with <paramref name="joinGroup"/> each then joins its room with <c>Join(room)</c>.
    /// </summary>
    public static async Task<FanoutLoad> ConnectAsync(Uri hubUrl, int clients, int roomSize, Func<int, string> roomKey,
        Func<int, ValueTask<string?>> accessToken, bool joinGroup, TimeSpan rampLimit)
    {
        var load = new FanoutLoad(clients, roomSize, roomKey);
        var watch = Stopwatch.StartNew();
        var connected = 0;
        using var limit = new CancellationTokenSource(rampLimit);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, clients),
                new ParallelOptions { MaxDegreeOfParallelism = RampParallelism, CancellationToken = limit.Token },
                async (i, cancel) =>
                {
                    var token = await accessToken(i);
                    var connection = new HubConnectionBuilder()
                        .WithUrl(hubUrl, o =>
                        {
                            o.AccessTokenProvider = () => Task.FromResult(token);
                            o.Transports = HttpTransportType.WebSockets;
                            o.SkipNegotiation = true;
                        })
                        .Build();
                    connection.On<ReceivedMessage>("messageAdded", load.Received);
                    connection.Closed += _ =>
                    {
                        Interlocked.Increment(ref load._closed);
                        return Task.CompletedTask;
                    };
                    load._clients[i] = connection;
                    await connection.StartAsync(cancel);
                    if (joinGroup)
                    {
                        await connection.InvokeAsync("Join", load._roomOf[i], cancel);
                    }

                    Interlocked.Increment(ref connected);
                });
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            await load.DisposeAsync();
            throw new TimeoutException($"the ramp connected {connected:N0} of {clients:N0} clients in {rampLimit.TotalSeconds:F0} s");
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }

        load.Ramp = watch.Elapsed;
        return load;
    }

    /// <summary>Sends at <paramref name="sendsPerSecond"/> for <paramref name="duration"/>, then waits up to <paramref name="drain"/> for the deliveries.</summary>
    public async Task<StepResult> RunAsync(int sendsPerSecond, TimeSpan duration, TimeSpan drain)
    {
        int step;
        lock (_gate)
        {
            step = ++_step; // deliveries of earlier steps arriving from now on are not counted
            _latency.Reset();
            _received = 0;
        }

        _sendErrors = 0;
        var closedBefore = Volatile.Read(ref _closed);
        var total = (int)(sendsPerSecond * duration.TotalSeconds);
        var sendTime = await Task.Factory.StartNew(() => Schedule(step, total, sendsPerSecond), TaskCreationOptions.LongRunning);

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < drain
               && (Volatile.Read(ref _pending) > 0 || Interlocked.Read(ref _received) < (long)(total - _sendErrors) * _roomSize))
        {
            await Task.Delay(10);
        }

        lock (_gate)
        {
            _step++;
            return new StepResult(sendsPerSecond, _roomSize, sendTime, total, _sendErrors, (long)(total - _sendErrors) * _roomSize,
                _received, Volatile.Read(ref _closed) - closedBefore, _latency.Copy());
        }
    }

    /// <summary>On its own thread, so that a busy thread pool delays the sends only as much as it would a real client's.</summary>
    private TimeSpan Schedule(int step, int total, int sendsPerSecond)
    {
        var interval = Stopwatch.Frequency / (double)sendsPerSecond;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; i < total && start + (long)(i * interval) <= now; i++)
            {
                Send(step, i, start + (long)(i * interval));
            }

            Thread.Sleep(1);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    private void Send(int step, int i, long scheduled)
    {
        var sender = (int)((long)i * 7919 % _clients.Length); // a prime stride: consecutive sends go to different rooms
        Interlocked.Increment(ref _pending);
        _clients[sender].InvokeAsync<int>("SendMessage", _roomOf[sender], string.Create(CultureInfo.InvariantCulture, $"{step} {scheduled}"))
            .ContinueWith(t =>
            {
                if (!t.IsCompletedSuccessfully)
                {
                    Interlocked.Increment(ref _sendErrors);
                }

                Interlocked.Decrement(ref _pending);
            }, TaskScheduler.Default);
    }

    private void Received(ReceivedMessage message)
    {
        var now = Stopwatch.GetTimestamp();
        var body = message.Body.AsSpan();
        var space = body.IndexOf(' ');
        if (space < 0 || !int.TryParse(body[..space], CultureInfo.InvariantCulture, out var step)
                      || !long.TryParse(body[(space + 1)..], CultureInfo.InvariantCulture, out var scheduled))
        {
            return;
        }

        var micros = (long)Stopwatch.GetElapsedTime(scheduled, now).TotalMicroseconds;
        lock (_gate)
        {
            if (step == _step)
            {
                _latency.RecordValue(Math.Min(micros, _latency.HighestTrackableValue));
                _received++;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_clients.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = RampParallelism },
            async (c, _) => await c.DisposeAsync());
    }

    /// <summary>The one field both servers' <c>messageAdded</c> carry that the load generator reads.</summary>
    private sealed record ReceivedMessage(string? Body);
}
