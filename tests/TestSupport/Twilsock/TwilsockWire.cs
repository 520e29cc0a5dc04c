using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// The twilsock v3 framing, written from the protocol (docs/client-protocol.md), not taken from the emulator, so the
/// tests' client, the benchmarks' load generator and their baseline server check the emulator's framing rather than
/// share it: <c>TWILSOCK V3.0 {header bytes}\r\n{header JSON}\r\n{payload}</c>, byte counts of UTF-8.
/// </summary>
public static class TwilsockWire
{
    private static readonly byte[] Magic = "TWILSOCK V3.0 "u8.ToArray();

    /// <summary>
    /// A frame with <paramref name="header"/> (its <c>payload_size</c> set here) and a payload, or none; a payload is
    /// JSON unless the header names its <c>payload_type</c>, or <paramref name="typeUnlessSet"/> is null.
    /// </summary>
    public static byte[] Encode(JsonObject header, ReadOnlySpan<byte> payload = default, string? typeUnlessSet = "application/json")
    {
        ArgumentNullException.ThrowIfNull(header);
        header["payload_size"] = payload.Length;
        if (payload.Length > 0 && typeUnlessSet is not null && header["payload_type"] is null)
        {
            header["payload_type"] = typeUnlessSet;
        }

        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);
        var size = Encoding.ASCII.GetBytes(headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        var frame = new byte[Magic.Length + size.Length + 2 + headerBytes.Length + 2 + payload.Length];
        var rest = frame.AsSpan();
        foreach (var part in new[] { Magic, size, "\r\n"u8.ToArray(), headerBytes, "\r\n"u8.ToArray() })
        {
            part.CopyTo(rest);
            rest = rest[part.Length..];
        }

        payload.CopyTo(rest);
        return frame;
    }

    /// <summary>Splits a frame into its header JSON and its payload; false when it is not a twilsock frame.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> header, out ReadOnlySpan<byte> payload)
    {
        header = payload = default;
        if (!frame.StartsWith(Magic))
        {
            return false;
        }

        var rest = frame[Magic.Length..];
        var lineEnd = rest.IndexOf("\r\n"u8);
        if (lineEnd <= 0 || !int.TryParse(rest[..lineEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var headerSize)
            || headerSize > rest.Length - lineEnd - 2)
        {
            return false;
        }

        header = rest.Slice(lineEnd + 2, headerSize);
        var afterHeader = rest[(lineEnd + 2 + headerSize)..];
        payload = afterHeader.StartsWith("\r\n"u8) ? afterHeader[2..] : [];
        return true;
    }

    /// <summary>The header's top-level <c>method</c>, read without building a JSON tree (the hot path: every notification).</summary>
    public static string? Method(ReadOnlySpan<byte> header)
    {
        var reader = new Utf8JsonReader(header);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("method"u8))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth > 0)
            {
                reader.Skip();
            }
        }

        return null;
    }

    /// <summary>A <c>reply</c> to frame <paramref name="id"/> with transport status 200 and, for a tunnelled request, its HTTP status.</summary>
    public static byte[] Reply(string id, int? httpStatus = null, ReadOnlySpan<byte> body = default)
    {
        var header = new JsonObject { ["method"] = "reply", ["id"] = id, ["status"] = new JsonObject { ["code"] = 200, ["status"] = "OK" } };
        if (httpStatus is { } status)
        {
            header["http_status"] = new JsonObject { ["code"] = status, ["status"] = status == 200 ? "OK" : "Not Found" };
        }

        return Encode(header, body);
    }
}
