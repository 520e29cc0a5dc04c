using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// One raw twilsock connection of the load generator (System.Net.WebSockets, no SDK): <c>init</c> with a token, REST
/// requests as <c>message</c> frames answered by <c>reply</c>, and every <c>notification</c> handed to a callback with
/// its payload. It can be told to stop reading, as a client whose tab froze would. The tests' client
/// (<see cref="TwilsockTestClient"/>) decodes and keeps every frame, which a load generator on the same two cores as the
/// server cannot afford; both share one codec, <see cref="TwilsockWire"/>.
/// </summary>
internal sealed class TwilsockClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _replies = new(StringComparer.Ordinal);
    private readonly Action<ReadOnlyMemory<byte>> _onNotification;
    private readonly Action _onClosed;
    private TaskCompletionSource _reading = CompletedGate();
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextId;

    private TwilsockClient(Action<ReadOnlyMemory<byte>> onNotification, Action onClosed)
    {
        _onNotification = onNotification;
        _onClosed = onClosed;
    }

    /// <summary>True once the server closed the connection or it failed.</summary>
    public bool Closed { get; private set; }

    /// <summary>
    /// Connects and sends <c>init</c>; returns once the server accepted the token. With <paramref name="smallReceiveBuffer"/>
    /// the socket's kernel receive buffer is 4 KiB, so a client that stops reading backs up into the server quickly.
    /// </summary>
    public static async Task<TwilsockClient> ConnectAsync(Uri url, string token, Action<ReadOnlyMemory<byte>> onNotification, Action onClosed,
        bool smallReceiveBuffer, CancellationToken cancellationToken)
    {
        var client = new TwilsockClient(onNotification, onClosed);
        if (smallReceiveBuffer)
        {
            using var handler = new SocketsHttpHandler { ConnectCallback = ConnectWithSmallBufferAsync };
            using var invoker = new HttpMessageInvoker(handler);
            await client._socket.ConnectAsync(url, invoker, cancellationToken);
        }
        else
        {
            await client._socket.ConnectAsync(url, cancellationToken);
        }

        client._receiveLoop = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        var init = new JsonObject
        {
            ["method"] = "init", ["id"] = client.NextId(), ["token"] = token, ["continuation_token"] = null,
            ["metadata"] = new JsonObject { ["ver"] = "benchmark" }, ["registrations"] = null, ["tweaks"] = null, ["capabilities"] = new JsonArray(),
        };
        var status = await client.SendAsync(init["id"]!.GetValue<string>(), TwilsockWire.Encode(init), cancellationToken);
        return status == 200 ? client : throw new InvalidOperationException($"init was answered with status {status}");
    }

    /// <summary>Sends a tunnelled REST request; returns its HTTP status (or the transport status when it has none).</summary>
    public Task<int> RequestAsync(string method, string path, ReadOnlySpan<byte> body, CancellationToken cancellationToken = default)
    {
        var id = NextId();
        return SendAsync(id, TwilsockWire.Request(id, method, path, body), cancellationToken);
    }

    /// <summary>Stops reading the socket (nothing is received until <see cref="ResumeReading"/>).</summary>
    public void StopReading() => Interlocked.Exchange(ref _reading, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ResumeReading() => _reading.TrySetResult();

    private async Task<int> SendAsync(string id, byte[] frame, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }

        await using (cancellationToken.Register(() => reply.TrySetCanceled()))
        {
            return await reply.Task;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[4096];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                await _reading.Task;
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                ReadOnlyMemory<byte> frame;
                if (result.EndOfMessage && message.Length == 0)
                {
                    frame = buffer.AsMemory(0, result.Count);
                }
                else
                {
                    message.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    frame = message.GetBuffer().AsMemory(0, (int)message.Length);
                }

                Handle(frame);
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the server closed or aborted the connection
        }
        finally
        {
            Closed = true;
            foreach (var pending in _replies.Values)
            {
                pending.TrySetException(new WebSocketException("the connection closed"));
            }

            _onClosed();
        }
    }

    private void Handle(ReadOnlyMemory<byte> frame)
    {
        if (!TwilsockWire.TrySplit(frame.Span, out var header, out var payload))
        {
            return;
        }

        switch (TwilsockWire.Method(header))
        {
            case "notification":
                _onNotification(frame.Slice(frame.Length - payload.Length));
                break;
            case "reply":
                var node = JsonNode.Parse(header)!.AsObject();
                var id = node["id"]?.GetValue<string>();
                var status = node["http_status"]?["code"]?.GetValue<int>() ?? node["status"]?["code"]?.GetValue<int>() ?? 0;
                if (id is not null && _replies.TryRemove(id, out var reply))
                {
                    reply.TrySetResult(status);
                }

                break;
        }
    }

    private string NextId() => "TM" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private static async ValueTask<Stream> ConnectWithSmallBufferAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ResumeReading();
        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
