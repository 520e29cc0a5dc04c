using System.Buffers;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// JSON written straight to UTF-8, for what goes out with every message: its events and the replies. Each thread keeps
/// one buffer and one writer, so only the bytes returned are allocated.
/// </summary>
internal static class JsonBytes
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>What <paramref name="write"/> writes, as a new array.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ?? new Utf8JsonWriter(buffer);
        t_buffer = null; // taken: a Write inside this one's callback gets its own
        t_writer = null;
        try
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            write(writer, state);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            t_buffer = buffer;
            t_writer = writer;
        }
    }
}
