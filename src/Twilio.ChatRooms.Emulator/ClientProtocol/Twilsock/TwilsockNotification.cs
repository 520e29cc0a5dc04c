using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// A <c>notification</c> frame encoded once for every connection it goes to: the payload and the header but for its
/// <c>id</c>, which each connection numbers itself. A room's event is serialized once, not once per subscriber; each
/// connection writes the whole frame into a pooled buffer only when it sends it.
/// </summary>
internal sealed class TwilsockNotification
{
    private static readonly byte[] HeaderStart = """{"method":"notification","id":"TS"""u8.ToArray();
    private readonly byte[] _headerEnd;
    private readonly byte[] _payload;

    /// <summary>Serializes <paramref name="payload"/> (a JSON payload, <c>payload_type</c> application/json).</summary>
    public TwilsockNotification(string messageType, JsonNode payload)
        : this(messageType, JsonSerializer.SerializeToUtf8Bytes(payload))
    {
    }

    /// <summary>A notification of <paramref name="payload"/>, JSON already in UTF-8 (<c>payload_type</c> application/json).</summary>
    public TwilsockNotification(string messageType, byte[] payload)
    {
        _payload = payload;
        var type = JsonEncodedText.Encode(messageType).EncodedUtf8Bytes;
        var size = _payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _headerEnd = [.. "\",\"message_type\":\""u8, .. type, .. "\",\"payload_type\":\"application/json\",\"payload_size\":"u8,
            .. System.Text.Encoding.ASCII.GetBytes(size), .. "}"u8];
    }

    /// <summary>The frame with id <c>TS{frameId}</c>, in a buffer from <see cref="ArrayPool{T}.Shared"/> that the caller returns.</summary>
    public byte[] RentFrame(long frameId, out int length)
    {
        Span<byte> id = stackalloc byte[20];
        Utf8Formatter.TryFormat(frameId, id, out var idLength);
        var headerLength = HeaderStart.Length + idLength + _headerEnd.Length;
        Span<byte> headerSize = stackalloc byte[10];
        Utf8Formatter.TryFormat(headerLength, headerSize, out var headerSizeLength);

        length = TwilsockFrame.Magic.Length + headerSizeLength + 2 + headerLength + 2 + _payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var span = buffer.AsSpan(0, length);
        Append(ref span, TwilsockFrame.Magic);
        Append(ref span, headerSize[..headerSizeLength]);
        Append(ref span, "\r\n"u8);
        Append(ref span, HeaderStart);
        Append(ref span, id[..idLength]);
        Append(ref span, _headerEnd);
        Append(ref span, "\r\n"u8);
        Append(ref span, _payload);
        return buffer;
    }

    private static void Append(ref Span<byte> span, scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span);
        span = span[bytes.Length..];
    }
}
