using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// What one connection has yet to send, bounded (<see cref="TwilsockOptions.MaxQueuedFrames"/>), and the one loop that
/// sends it. A notification is queued as the bytes it shares with every other receiver; its frame is written into a
/// pooled buffer when it is sent.
/// </summary>
internal sealed class TwilsockOutbox(WebSocket socket, int limit)
{
    private readonly Channel<Outgoing> _frames = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(limit)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing is dropped silently
    });

    /// <summary>Queues a frame encoded for this connection; false when the queue is full or complete.</summary>
    public bool TryQueue(byte[] frame) => _frames.Writer.TryWrite(new Outgoing(frame, null, 0));

    /// <summary>Queues a shared notification, sent with id <c>TS{frameId}</c>; false when the queue is full or complete.</summary>
    public bool TryQueue(TwilsockNotification notification, long frameId) => _frames.Writer.TryWrite(new Outgoing(null, notification, frameId));

    /// <summary>Nothing more is queued: the send loop sends what is there, then closes the socket's output.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    /// <summary>Sends every frame in order until <see cref="Complete"/>; a socket error ends it with the exception.</summary>
    public async Task SendAllAsync(CancellationToken cancellationToken)
    {
        await foreach (var frame in _frames.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (frame.Encoded is { } encoded)
            {
                await socket.SendAsync(encoded, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var buffer = frame.Notification!.RentFrame(frame.FrameId, out var length);
            try
            {
                await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A queued frame: encoded for this connection, or a shared notification and this connection's id for it.</summary>
    private readonly record struct Outgoing(byte[]? Encoded, TwilsockNotification? Notification, long FrameId);
}
