using System.Buffers;
using System.Net.WebSockets;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>Reads a connection's messages into pooled buffers, so that a connection holds no buffer between them.</summary>
internal static class TwilsockInbox
{
    /// <summary>
    /// One message into a buffer from <see cref="ArrayPool{T}.Shared"/>, which the caller returns. Past <paramref name="maxFrameBytes"/> only the start is kept: enough
    /// to read the header and refuse the frame by its id; the rest is read and dropped when <paramref name="readRest"/>,
    /// else left unread (the caller ends the connection).
    /// </summary>
    public static async Task<(byte[] Buffer, int Length, bool TooLarge, bool Closed)> ReceiveAsync(
        WebSocket socket, int maxFrameBytes, bool readRest, CancellationToken cancellationToken)
    {
        var kept = Math.Min(64 * 1024, maxFrameBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        var tooLarge = false;
        try
        {
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (buffer, 0, false, true);
                }

                length += result.Count;
                if (length > maxFrameBytes)
                {
                    tooLarge = true;
                    if (!readRest)
                    {
                        return (buffer, Math.Min(length, kept), true, false);
                    }

                    length = kept; // the rest is read over the bytes after the start, and dropped
                }
            }
            while (!result.EndOfMessage);

            return (buffer, length, tooLarge, false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
