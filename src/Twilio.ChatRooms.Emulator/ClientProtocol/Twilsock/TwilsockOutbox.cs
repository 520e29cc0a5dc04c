using System.Buffers;
using System.Net.WebSockets;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// What one connection has yet to send, and the sending of it. Two bounds: events pushed to the connection
/// (<see cref="TwilsockOptions.MaxQueuedFrames"/>), which a client that stops reading reaches, and, above it, every
/// frame (<see cref="AnswerAllowance"/> more), so that what answers the client's own request (a reply, the
/// confirmations of a subscription to 100 objects, the events it missed replayed) never counts as falling behind, and
/// a client that sends requests without reading is still stopped. A pushed event is queued as the bytes it shares
/// with every other receiver; its frame is written into a pooled buffer when it is sent.
/// </summary>
/// <remarks>
/// Whoever queues a frame while nothing is being sent sends it at once, on its own thread, and whatever was queued
/// meanwhile after it, for as long as the socket takes each frame without waiting: most events reach the socket
/// without a hand-over to another thread. When a send must wait (the client reads slowly), the rest is sent from the
/// send's continuation. One sender at a time, in queue order.
/// </remarks>
internal sealed class TwilsockOutbox
{
    /// <summary>How many frames answering the client's own requests may wait beyond the bound on pushed events.</summary>
    public const int AnswerAllowance = 65_536;

    private readonly WebSocket _socket;
    private readonly int _pushedLimit;
    private readonly Lock _gate = new();
    private readonly Queue<Outgoing> _queue = new();
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pushedQueued;
    private bool _sending;
    private volatile bool _complete;

    public TwilsockOutbox(WebSocket socket, int pushedLimit)
    {
        _socket = socket;
        _pushedLimit = pushedLimit;
    }

    /// <summary>Queues a frame encoded for this connection (a reply); false when the queue is full or complete.</summary>
    public bool TryQueue(byte[] frame) => TryQueue(new Outgoing(frame, null, 0, Pushed: false));

    /// <summary>
    /// Queues a notification sent with id <c>TS{frameId}</c>: <paramref name="pushed"/> for an event the client did
    /// not ask for (counted against the bound on pushed events), else one answering its request. False when a bound
    /// is reached or the queue is complete.
    /// </summary>
    public bool TryQueue(TwilsockNotification notification, long frameId, bool pushed) =>
        TryQueue(new Outgoing(null, notification, frameId, pushed));

    /// <summary>How many frames wait to be sent (the one being sent included), as of now.</summary>
    public int Depth
    {
        get { lock (_gate) { return _queue.Count; } }
    }

    /// <summary>Whether <see cref="Complete"/> was called: nothing more is queued, and a refusal is not the client's fault.</summary>
    public bool IsComplete => _complete;

    /// <summary>Nothing more is queued: what is there is sent, then <see cref="SendAllAsync"/> closes the socket's output.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _complete = true;
            if (_sending || _queue.Count > 0)
            {
                return; // the sender finishes
            }
        }

        _sent.TrySetResult();
    }

    /// <summary>
    /// Completes once every frame is sent after <see cref="Complete"/>, then closes the socket's output; a socket error
    /// ends it with the exception, and <paramref name="cancellationToken"/> aborts the socket.
    /// </summary>
    public async Task SendAllAsync(CancellationToken cancellationToken)
    {
        await using (cancellationToken.UnsafeRegister(static o => ((TwilsockOutbox)o!).Abort(), this).ConfigureAwait(false))
        {
            await _sent.Task.ConfigureAwait(false);
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryQueue(Outgoing frame)
    {
        lock (_gate)
        {
            if (_complete || _queue.Count >= _pushedLimit + AnswerAllowance || (frame.Pushed && _pushedQueued >= _pushedLimit))
            {
                return false;
            }

            _queue.Enqueue(frame);
            _pushedQueued += frame.Pushed ? 1 : 0;
            if (_sending)
            {
                return true; // the sender takes it in turn
            }

            _sending = true;
        }

        SendQueued();
        return true;
    }

    /// <summary>Sends from the queue while each send completes at once; a send that must wait goes on in its continuation.</summary>
    private void SendQueued()
    {
        while (TryTakeNext(out var frame))
        {
            ValueTask send;
            byte[]? rented = null;
            try
            {
                send = Send(frame, out rented);
            }
#pragma warning disable CA1031 // whatever the socket throws ends this connection, never the caller queueing an event
            catch (Exception e)
#pragma warning restore CA1031
            {
                Return(rented);
                Fail(e);
                return;
            }

            if (!send.IsCompleted)
            {
                _ = ContinueAsync(send, rented);
                return;
            }

            Return(rented);
            if (!send.IsCompletedSuccessfully && Observe(send) is { } error)
            {
                Fail(error);
                return;
            }
        }
    }

    private async Task ContinueAsync(ValueTask send, byte[]? rented)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // as above: the connection ends with it
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e);
            return;
        }
        finally
        {
            Return(rented);
        }

        SendQueued();
    }

    /// <summary>The next frame, or false (and no sender) when the queue is empty; the last one out completes a completed outbox.</summary>
    private bool TryTakeNext(out Outgoing frame)
    {
        lock (_gate)
        {
            if (_queue.TryDequeue(out frame))
            {
                _pushedQueued -= frame.Pushed ? 1 : 0;
                return true;
            }

            _sending = false;
            if (!_complete)
            {
                return false;
            }
        }

        _sent.TrySetResult();
        return false;
    }

    private ValueTask Send(Outgoing frame, out byte[]? rented)
    {
        rented = null;
        if (frame.Encoded is { } encoded)
        {
            return _socket.SendAsync(encoded.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }

        rented = frame.Notification!.RentFrame(frame.FrameId, out var length);
        return _socket.SendAsync(rented.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
    }

    private static Exception? Observe(ValueTask send)
    {
        try
        {
            send.GetAwaiter().GetResult();
            return null;
        }
#pragma warning disable CA1031 // handed to Fail
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A send failed: nothing more is sent, and <see cref="SendAllAsync"/> ends with the error.</summary>
    private void Fail(Exception error)
    {
        lock (_gate)
        {
            _complete = true;
            _queue.Clear();
            _pushedQueued = 0;
            _sending = false;
        }

        _sent.TrySetException(error);
    }

    private void Abort()
    {
        Complete();
        _socket.Abort();
    }

    /// <summary>A queued frame: encoded for this connection, or a shared notification and this connection's id for it.</summary>
    private readonly record struct Outgoing(byte[]? Encoded, TwilsockNotification? Notification, long FrameId, bool Pushed);
}
