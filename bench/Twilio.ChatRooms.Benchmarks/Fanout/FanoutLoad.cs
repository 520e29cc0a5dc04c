using System.Diagnostics;
using System.Runtime;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>What one fixed-rate step measured; latency in µs from each message's scheduled send time.</summary>
internal sealed record StepResult(
    int SendsPerSecond, int RoomSize, TimeSpan Duration, int Sent, int SendErrors, long Expected, long Received, int Closed,
    HistogramBase Latency, bool StallerClosed = false)
{
    /// <summary>Time the load generator's own garbage collector paused it during the step (every thread stops).</summary>
    public TimeSpan LoadGcPause { get; init; }

    /// <summary>The server's CPU time and garbage collections during the step (its drain included).</summary>
    public ServerTally? Server { get; init; }

    /// <summary>The load generator's CPU time during the step (its drain included): every client's sends and receipts.</summary>
    public TimeSpan LoadCpu { get; init; }

    /// <summary>CPU µs per delivery received, of the server and of the load generator: what one delivery costs each, whatever the rate.</summary>
    public (double Server, double Load) CpuPerDelivery => Received == 0
        ? (double.NaN, double.NaN)
        : ((Server?.Cpu.TotalMicroseconds ?? double.NaN) / Received, LoadCpu.TotalMicroseconds / Received);

    /// <summary>The most any send left after its scheduled time: how late the sender's own thread ran.</summary>
    public TimeSpan MaxSendLag { get; init; }

    public long Lost => Math.Max(0, Expected - Received);

    public double OfferedDeliveriesPerSecond => (double)SendsPerSecond * RoomSize;

    /// <summary>The bytes the server allocated per send, in KB (NaN without a tally or a send).</summary>
    public double ServerKbAllocatedPerSend => Server is { } t && Sent > 0 ? t.Allocated / 1024.0 / Sent : double.NaN;

    public double DeliveriesPerSecond => Received / Duration.TotalSeconds;

    public double P(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;
}

/// <summary>
/// The load generator: raw twilsock clients, each subscribed to its room's messages list (<c>{room}.messages</c>),
/// sending open loop over the socket. Send i is scheduled at <c>start + i / rate</c> by the clock, whatever the replies
/// do, from a client spread over the rooms; every member of the room (the sender included) should receive it as a
/// notification, and its latency runs from the scheduled time (carried in the message body), so queueing at the
/// sender, the server or the receiver all count. One more connection, the staller, subscribed to every room, can be
/// added after the ladder and told to stop reading; its deliveries are never counted.
/// </summary>
internal sealed class FanoutLoad : IAsyncDisposable
{
    private const int RampParallelism = 32;

    /// <summary>What a step may allocate before this process collects after all (then its pause shows in the report).</summary>
    private const long NoCollectionBudget = 200L * 1024 * 1024;
    private const string MarkerText = "fanout ";
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes(MarkerText);

    private readonly TwilsockTestClient?[] _clients;
    private readonly string[] _roomOf;
    private readonly string _serviceSid;
    private readonly int _roomSize;
    private readonly Lock _gate = new();
    private readonly LongHistogram _latency = new(60_000_000, 3);
    private int _step;
    private long _received;
    private int _pending;
    private int _sendErrors;
    private int _closed;
    private Uri? _twilsockUrl;
    private string _stallerToken = "";
    private TwilsockTestClient? _staller;
    private long _stallerReceived;

    private FanoutLoad(int clients, int roomSize, Func<int, string> roomSid, string serviceSid)
    {
        _clients = new TwilsockTestClient?[clients];
        _roomOf = Enumerable.Range(0, clients).Select(i => roomSid(i / roomSize)).ToArray();
        _roomSize = roomSize;
        _serviceSid = serviceSid;
    }

    public TimeSpan Ramp { get; private set; }

    /// <summary>The client number <c>accessToken</c> is asked for the staller's token.</summary>
    public const int StallerClient = -1;

    /// <summary>Notifications the staller read, ever.</summary>
    public long StallerReceived => Interlocked.Read(ref _stallerReceived);

    /// <summary>
    /// Connects <paramref name="clients"/> clients, <see cref="RampParallelism"/> at a time, client i in room
    /// i / roomSize: each sends <c>init</c> with its token, then subscribes to its room's messages list.
    /// </summary>
    public static async Task<FanoutLoad> ConnectAsync(Uri twilsockUrl, string serviceSid, int clients, int roomSize, Func<int, string> roomSid,
        Func<int, ValueTask<string>> accessToken, TimeSpan rampLimit)
    {
        var load = new FanoutLoad(clients, roomSize, roomSid, serviceSid) { _twilsockUrl = twilsockUrl, _stallerToken = await accessToken(StallerClient) };
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
                    var client = await ConnectAsync(twilsockUrl, token, load.Received, () => Interlocked.Increment(ref load._closed), socketReceiveBufferSize: null, cancel);
                    load._clients[i] = client;
                    await SubscribeAsync(client, [load._roomOf[i]], fromStart: true, cancel);
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

    /// <summary>
    /// Connects the staller, with a 4 KiB socket receive buffer so that what it does not read backs up into the server
    /// soon, and subscribes it to every room's messages: it receives every message sent.
    /// </summary>
    public async Task ConnectStallerAsync()
    {
        _staller = await ConnectAsync(_twilsockUrl!, _stallerToken, _ => Interlocked.Increment(ref _stallerReceived), () => { },
            socketReceiveBufferSize: 4096, CancellationToken.None);
        await SubscribeAsync(_staller, _roomOf.Distinct().ToArray(), fromStart: false, CancellationToken.None);
    }

    /// <summary>
    /// Subscribes to the rooms' messages lists: <paramref name="fromStart"/> with <c>last_event_id</c> 0 (replay all, while
    /// the rooms are still empty), else without one, so the emulator replays nothing of the messages the ladder sent.
    /// </summary>
    private static async Task SubscribeAsync(TwilsockTestClient client, string[] rooms, bool fromStart, CancellationToken cancellationToken)
    {
        var subscribe = new JsonObject
        {
            ["event_protocol_version"] = 4, ["action"] = "establish", ["correlation_id"] = 1,
            ["requests"] = new JsonArray(rooms.Select(r => (JsonNode)new JsonObject
            {
                ["object_sid"] = r + ".messages", ["object_type"] = "list", ["last_event_id"] = fromStart ? 0 : null,
            }).ToArray()),
        };
        var reply = await client.RequestAsync("POST", "/v4/Subscriptions", subscribe, cancellationToken);
        if (reply.HttpStatus != 200)
        {
            throw new InvalidOperationException($"a subscription was answered with {reply.Header.ToJsonString()}");
        }
    }

    /// <summary>The tests' raw client in its lean mode: notifications' payloads to <paramref name="onNotification"/>, nothing kept.</summary>
    private static async Task<TwilsockTestClient> ConnectAsync(Uri url, string token, Action<ReadOnlyMemory<byte>> onNotification, Action onClosed,
        int? socketReceiveBufferSize, CancellationToken cancellationToken)
    {
        var client = await TwilsockTestClient.ConnectAsync(url, token, socketReceiveBufferSize, onNotification, onClosed, cancellationToken);
        if (client.InitReply.StatusCode != 200)
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"init was answered with {client.InitReply.Header.ToJsonString()}");
        }

        return client;
    }

    /// <summary>
    /// Sends at <paramref name="sendsPerSecond"/> for <paramref name="duration"/>, then waits up to <paramref name="drain"/>
    /// for the deliveries. With <paramref name="stall"/> the staller (connected first) stops reading for the step.
    /// </summary>
    public async Task<StepResult> RunAsync(int sendsPerSecond, TimeSpan duration, TimeSpan drain, bool stall = false)
    {
        int step;
        lock (_gate)
        {
            step = ++_step; // deliveries of earlier steps arriving from now on are not counted
            _latency.Reset();
            _received = 0;
        }

        if (stall)
        {
            _staller!.PauseReading();
        }

        _sendErrors = 0;
        var closedBefore = Volatile.Read(ref _closed);
        var total = (int)(sendsPerSecond * duration.TotalSeconds);

        // The servers' garbage collectors are part of what is measured; this process's are not, and with 10,000 sockets
        // its collections stopped it for up to 400 ms a step, late sends and late receipts that were counted against the
        // server. So no collection here during a step: the step allocates from a budget reserved before it starts.
        var noCollection = GC.TryStartNoGCRegion(NoCollectionBudget);
        var pausedBefore = GC.GetTotalPauseDuration();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var (sendTime, sendLag) = await Task.Factory.StartNew(() => Schedule(step, total, sendsPerSecond), TaskCreationOptions.LongRunning);
        long Expected() => (long)(total - _sendErrors) * _roomSize;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < drain && (Volatile.Read(ref _pending) > 0 || Interlocked.Read(ref _received) < Expected()))
        {
            await Task.Delay(10);
        }

        if (noCollection && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }

        StepResult result;
        lock (_gate)
        {
            _step++;
            result = new StepResult(sendsPerSecond, _roomSize, sendTime, total, _sendErrors, Expected(), _received,
                Volatile.Read(ref _closed) - closedBefore, _latency.Copy())
            {
                LoadGcPause = GC.GetTotalPauseDuration() - pausedBefore,
                LoadCpu = Environment.CpuUsage.TotalTime - cpuBefore,
                MaxSendLag = sendLag,
            };
        }

        if (!stall)
        {
            return result;
        }

        // A staller the server closed learns it only when it reads again: let it read what is left, and see.
        _staller!.ResumeReading();
        for (var wait = Stopwatch.StartNew(); !_staller.Closed.IsCompleted && wait.Elapsed < TimeSpan.FromSeconds(2);)
        {
            await Task.Delay(50);
        }

        return result with { StallerClosed = _staller.Closed.IsCompleted };
    }

    /// <summary>On its own thread, so that a busy thread pool delays the sends only as much as it would a real client's.</summary>
    private (TimeSpan Elapsed, TimeSpan MaxLag) Schedule(int step, int total, int sendsPerSecond)
    {
        var interval = Stopwatch.Frequency / (double)sendsPerSecond;
        var start = Stopwatch.GetTimestamp();
        long maxLag = 0;
        for (var i = 0; i < total;)
        {
            var now = Stopwatch.GetTimestamp();
            if (i < total && now - (start + (long)(i * interval)) > maxLag)
            {
                maxLag = now - (start + (long)(i * interval));
            }

            for (; i < total && start + (long)(i * interval) <= now; i++)
            {
                var sender = (int)((long)i * 7919 % _clients.Length); // a prime stride: consecutive sends go to different rooms
                Send(sender, string.Create(CultureInfo.InvariantCulture, $"{MarkerText}{step} {start + (long)(i * interval)}"));
            }

            Thread.Sleep(1);
        }

        return (Stopwatch.GetElapsedTime(start), TimeSpan.FromSeconds(maxLag / (double)Stopwatch.Frequency));
    }

    private void Send(int sender, string body)
    {
        Interlocked.Increment(ref _pending);
        var json = new JsonObject { ["body"] = body }.ToJsonString();
        _clients[sender]!.RequestAsync("POST", $"/Client/v2/Services/{_serviceSid}/Conversations/{_roomOf[sender]}/Messages", json, "application/json", CancellationToken.None)
            .ContinueWith(t =>
            {
                if (!t.IsCompletedSuccessfully || t.Result.HttpStatus is not (200 or 201))
                {
                    Interlocked.Increment(ref _sendErrors);
                }

                Interlocked.Decrement(ref _pending);
            }, TaskScheduler.Default);
    }

    /// <summary>A notification's payload: the body the benchmark sent is in it, as <c>"fanout {step} {scheduled}"</c>.</summary>
    private void Received(ReadOnlyMemory<byte> payload)
    {
        var now = Stopwatch.GetTimestamp();
        var span = payload.Span;
        var at = span.IndexOf(Marker);
        if (at < 0)
        {
            return; // another Sync event (a subscription's confirmation)
        }

        var text = span[(at + Marker.Length)..];
        var end = text.IndexOf((byte)'"');
        text = end < 0 ? text : text[..end];
        var space = text.IndexOf((byte)' ');
        if (space < 0 || !int.TryParse(text[..space], CultureInfo.InvariantCulture, out var step)
                      || !long.TryParse(text[(space + 1)..], CultureInfo.InvariantCulture, out var scheduled))
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
        if (_staller is not null)
        {
            await _staller.DisposeAsync();
        }

        await Parallel.ForEachAsync(_clients.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = RampParallelism },
            async (c, _) => await c!.DisposeAsync());
    }
}
