using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// What one connection has yet to send, and the one loop that sends it. Two bounds: events pushed to the connection
/// (<see cref="TwilsockOptions.MaxQueuedFrames"/>), which a client that stops reading reaches, and, above it, every
/// frame (<see cref="AnswerAllowance"/> more), so that what answers the client's own request (a reply, the
/// confirmations of a subscription to 100 objects, the events it missed replayed) never counts as falling behind, and
/// a client that sends requests without reading is still stopped. A pushed event is queued as the bytes it shares
/// with every other receiver; its frame is written into a pooled buffer when it is sent.
/// </summary>
internal sealed class TwilsockOutbox
{
    /// <summary>How many frames answering the client's own requests may wait beyond the bound on pushed events.</summary>
    public const int AnswerAllowance = 65_536;

    private readonly WebSocket _socket;
    private readonly int _pushedLimit;
    private readonly Channel<Outgoing> _frames;
    private int _pushedQueued;
    private bool _complete;

    public TwilsockOutbox(WebSocket socket, int pushedLimit)
    {
        _socket = socket;
        _pushedLimit = pushedLimit;
        _frames = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(pushedLimit + AnswerAllowance)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing is dropped silently
        });
    }

    /// <summary>Queues a frame encoded for this connection (a reply); false when the queue is full or complete.</summary>
    public bool TryQueue(byte[] frame) => _frames.Writer.TryWrite(new Outgoing(frame, null, 0, Pushed: false));

    /// <summary>
    /// Queues a notification sent with id <c>TS{frameId}</c>: <paramref name="pushed"/> for an event the client did
    /// not ask for (counted against the bound on pushed events), else one answering its request. False when a bound
    /// is reached or the queue is complete.
    /// </summary>
    public bool TryQueue(TwilsockNotification notification, long frameId, bool pushed)
    {
        if (pushed && Interlocked.Increment(ref _pushedQueued) > _pushedLimit)
        {
            Interlocked.Decrement(ref _pushedQueued);
            return false;
        }

        if (_frames.Writer.TryWrite(new Outgoing(null, notification, frameId, pushed)))
        {
            return true;
        }

        if (pushed)
        {
            Interlocked.Decrement(ref _pushedQueued);
        }

        return false;
    }

    /// <summary>Whether <see cref="Complete"/> was called: nothing more is queued, and a refusal is not the client's fault.</summary>
    public bool IsComplete => Volatile.Read(ref _complete);

    /// <summary>Nothing more is queued: the send loop sends what is there, then closes the socket's output.</summary>
    public void Complete()
    {
        Volatile.Write(ref _complete, true);
        _frames.Writer.TryComplete();
    }

    /// <summary>
    /// Sends every frame in order until <see cref="Complete"/>; a socket error ends it with the exception, and
    /// <paramref name="cancellationToken"/> aborts the socket.
    /// </summary>
    public async Task SendAllAsync(CancellationToken cancellationToken)
    {
        // One registration for the connection, not one per frame: given a token that can be cancelled, a send takes the
        // websocket's slower path and a wait for the next frame cannot reuse the channel's waiter (an allocation and a
        // registration each), and every event goes through here.
        await using var abort = cancellationToken.UnsafeRegister(static o => ((TwilsockOutbox)o!).Abort(), this).ConfigureAwait(false);
        await foreach (var frame in _frames.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (frame.Pushed)
            {
                Interlocked.Decrement(ref _pushedQueued);
            }

            if (frame.Encoded is { } encoded)
            {
                await _socket.SendAsync(encoded, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var buffer = frame.Notification!.RentFrame(frame.FrameId, out var length);
            try
            {
                await _socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Abort()
    {
        Complete();
        _socket.Abort();
    }

    /// <summary>A queued frame: encoded for this connection, or a shared notification and this connection's id for it.</summary>
    private readonly record struct Outgoing(byte[]? Encoded, TwilsockNotification? Notification, long FrameId, bool Pushed);
}
