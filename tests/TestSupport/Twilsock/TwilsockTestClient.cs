using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// A test's own twilsock v3 client (docs/client-protocol.md), written from the protocol, not from the emulator's code,
/// so it also checks the server's framing (<see cref="TwilsockTestFrame"/>): an <c>init</c> with the token, then
/// <c>message</c> frames that carry an HTTP request, each answered by a <c>reply</c> with the same id. Notifications the
/// server pushes are recorded. It reads in the background; <see cref="PauseReading"/> makes it a client that stops
/// reading, for back-pressure tests. Shared by the test projects and the benchmarks (tests/TestSupport); a load
/// generator connects with a notification handler instead, so that nothing is decoded or kept per notification.
/// </summary>
public sealed partial class TwilsockTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker; // the socket's own connection, when it has a small receive buffer
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TwilsockTestFrame>> _pending = new();
    private readonly List<TwilsockTestFrame> _notifications = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sending = new(1, 1); // a websocket takes one send at a time
    private readonly Task _reader;
    private readonly TaskCompletionSource<TwilsockTestFrame?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<ReadOnlyMemory<byte>>? _onNotification; // the lean mode's handler, when set
    private readonly Action? _onEnded;
    private TaskCompletionSource? _resumed; // set while reading is paused
    private int _nextId;
    private int _disposed;
    private event Action? NotificationReceived;

    private TwilsockTestClient(ClientWebSocket socket, HttpMessageInvoker? invoker, Action<ReadOnlyMemory<byte>>? onNotification, Action? onEnded)
    {
        _socket = socket;
        _invoker = invoker;
        _onNotification = onNotification;
        _onEnded = onEnded;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The reply to <c>init</c>: status 200 when the token was accepted, else 401 with an error code.</summary>
    public TwilsockTestFrame InitReply { get; private set; } = null!;

    /// <summary>The <c>close</c> frame the server sent, once it has (null when the socket ended without one).</summary>
    public Task<TwilsockTestFrame?> Closed => _closed.Task;

    /// <summary>Opens a websocket to <paramref name="uri"/> and sends <c>init</c> with <paramref name="token"/>; refusals are in <see cref="InitReply"/>.</summary>
    public static Task<TwilsockTestClient> ConnectAsync(Uri uri, string token, CancellationToken cancellationToken) =>
        ConnectAsync(uri, token, socketReceiveBufferSize: null, cancellationToken);

    private static async Task<TwilsockTestClient> ConnectCoreAsync(Uri uri, string token, int? socketReceiveBufferSize,
        Action<ReadOnlyMemory<byte>>? onNotification, Action? onEnded, CancellationToken cancellationToken)
    {
        var client = await OpenAsync(uri, socketReceiveBufferSize, onNotification, onEnded, cancellationToken);
        try
        {
            client.InitReply = await client.SendAsync(
                new JsonObject { ["method"] = "init", ["token"] = token, ["type"] = "ip_messaging", ["capabilities"] = new JsonArray() }, null, cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>Opens a websocket to <paramref name="uri"/> and sends nothing, not even <c>init</c>: a client without a token.</summary>
    public static Task<TwilsockTestClient> OpenAsync(Uri uri, CancellationToken cancellationToken) => OpenAsync(uri, null, null, null, cancellationToken);

    private static async Task<TwilsockTestClient> OpenAsync(Uri uri, int? socketReceiveBufferSize, Action<ReadOnlyMemory<byte>>? onNotification, Action? onEnded,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var invoker = socketReceiveBufferSize is { } size ? new HttpMessageInvoker(SmallReceiveBuffer(size)) : null;
        try
        {
            var connecting = invoker is null ? socket.ConnectAsync(uri, cancellationToken) : socket.ConnectAsync(uri, invoker, cancellationToken);
            await connecting.WaitAsync(Wait, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            invoker?.Dispose();
            throw;
        }

        return new TwilsockTestClient(socket, invoker, onNotification, onEnded);
    }

    /// <summary>Sends an HTTP request over the socket (the SDK's <c>message</c> frame) and returns the reply.</summary>
    public Task<TwilsockTestFrame> RequestAsync(string method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        RequestAsync(method, path, body?.ToJsonString(), "application/json", cancellationToken);

    /// <summary>Sends an HTTP request with a body of <paramref name="contentType"/> (such as a form) and returns the reply.</summary>
    public Task<TwilsockTestFrame> RequestAsync(string method, string path, string? body, string contentType, CancellationToken cancellationToken) =>
        SendAsync(new JsonObject
        {
            ["method"] = "message",
            ["active_grant"] = "ip_messaging",
            ["payload_type"] = contentType,
            ["http_request"] = new JsonObject
            {
                ["host"] = "aim.us1.twilio.com",
                ["path"] = path,
                ["method"] = method,
                ["params"] = new JsonObject(),
                ["headers"] = new JsonObject { ["Content-Type"] = contentType },
            },
        }, body, cancellationToken);

    /// <summary>Sends a frame with a fresh id and waits for the reply with that id.</summary>
    public async Task<TwilsockTestFrame> SendAsync(JsonObject header, string? payload, CancellationToken cancellationToken)
    {
        var id = "TM" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        header["id"] = id;
        var reply = new TaskCompletionSource<TwilsockTestFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await SendBytesAsync(TwilsockTestFrame.Encode(header, payload), cancellationToken);
        return await reply.Task.WaitAsync(Wait, cancellationToken);
    }

    /// <summary>A Sync event notification's <c>event_type</c> and <c>event</c> (both null for any other notification).</summary>
    public static (string? Type, JsonObject? Event) SyncEvent(TwilsockTestFrame notification) =>
        notification.Header["message_type"]?.GetValue<string>() == "twilio.sync.event" && notification.Payload is JsonObject p
            ? (p["event_type"]?.GetValue<string>(), p["event"] as JsonObject)
            : (null, null);

    /// <summary>Every notification received so far, in order.</summary>
    public IReadOnlyList<TwilsockTestFrame> Notifications
    {
        get
        {
            lock (_gate)
            {
                return [.. _notifications];
            }
        }
    }

    /// <summary>Waits for a notification that matches; fails the test after a bound.</summary>
    public async Task<TwilsockTestFrame> WaitForNotificationAsync(Func<TwilsockTestFrame, bool> match, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<TwilsockTestFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (Notifications.FirstOrDefault(match) is { } frame)
            {
                found.TrySetResult(frame);
            }
        }

        NotificationReceived += Check;
        try
        {
            Check();
            return await found.Task.WaitAsync(Wait, cancellationToken);
        }
        finally
        {
            NotificationReceived -= Check;
        }
    }

    /// <summary>Closes the websocket (as the SDK does), once: a test may close a client before its <c>await using</c> ends.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
        }

        _socket.Abort();
        await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _invoker?.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (Volatile.Read(ref _resumed) is { } resumed)
                {
                    await resumed.Task.WaitAsync(_stop.Token);
                }

                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                var frame = message.GetBuffer().AsMemory(0, (int)message.Length);
                if (_onNotification is null || !DispatchLean(frame))
                {
                    Dispatch(TwilsockTestFrame.Decode(frame.ToArray()));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _closed.TrySetResult(null);
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException("the socket ended before the reply"));
            }

            _onEnded?.Invoke();
        }
    }

    private void Dispatch(TwilsockTestFrame frame)
    {
        var method = frame.Header["method"]?.GetValue<string>();
        var id = frame.Header["id"]?.GetValue<string>();
        switch (method)
        {
            case "reply" when id is not null && _pending.TryRemove(id, out var waiter):
                waiter.TrySetResult(frame);
                break;
            case "notification":
                lock (_gate)
                {
                    _notifications.Add(frame);
                }

                NotificationReceived?.Invoke();
                Acknowledge(id);
                break;
            case "close":
                _closed.TrySetResult(frame);
                break;
            case "ping" or "client_update":
                Acknowledge(id);
                break;
        }
    }

    // The SDK acknowledges what the server sends with a reply of the same id; so does this client.
    private void Acknowledge(string? id)
    {
        if (id is not null)
        {
            var reply = TwilsockTestFrame.Encode(new JsonObject { ["method"] = "reply", ["id"] = id, ["status"] = new JsonObject { ["code"] = 200, ["status"] = "OK" } }, null);
            _ = SendBytesAsync(reply, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task SendBytesAsync(byte[] data, CancellationToken cancellationToken, bool endOfMessage = true)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }
}
