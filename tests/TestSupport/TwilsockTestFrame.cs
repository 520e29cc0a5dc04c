using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// One twilsock v3 frame as the tests read and write it, from the protocol (docs/client-protocol.md), not from the
/// emulator's code: <c>TWILSOCK V3.0 {header bytes}\r\n{header}\r\n{payload}</c>, byte counts of UTF-8. The payload is
/// read as JSON (null when there is none; a string when it is not JSON).
/// </summary>
internal sealed record TwilsockTestFrame(JsonObject Header, JsonNode? Payload)
{
    /// <summary>The transport status of a reply (<c>status.code</c>).</summary>
    public int StatusCode => Header["status"]?["code"]?.GetValue<int>() ?? 0;

    /// <summary>Twilio's error code of a refused reply (<c>status.errorCode</c>), 0 when none.</summary>
    public int ErrorCode => Header["status"]?["errorCode"]?.GetValue<int>() ?? 0;

    /// <summary>The tunnelled HTTP status of a reply to a <c>message</c> (<c>http_status.code</c>).</summary>
    public int HttpStatus => Header["http_status"]?["code"]?.GetValue<int>() ?? 0;

    /// <summary>Writes a frame as the JavaScript client does: byte counts of UTF-8, CRLF between the parts.</summary>
    public static byte[] Encode(JsonObject header, string? payload)
    {
        var payloadBytes = payload is null ? [] : Encoding.UTF8.GetBytes(payload);
        header["payload_size"] = payloadBytes.Length;
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        return [.. Encoding.ASCII.GetBytes($"TWILSOCK V3.0 {headerBytes.Length}\r\n"), .. headerBytes, .. "\r\n"u8, .. payloadBytes];
    }

    /// <summary>Reads a frame: the magic and header size line, the header, then <c>payload_size</c> bytes after a CRLF.</summary>
    public static TwilsockTestFrame Decode(byte[] data)
    {
        var text = Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 32));
        if (!text.StartsWith("TWILSOCK V3.0 ", StringComparison.Ordinal))
        {
            throw new FormatException("not a twilsock frame: " + text);
        }

        var lineEnd = Array.IndexOf(data, (byte)'\r', 14);
        var headerSize = int.Parse(Encoding.ASCII.GetString(data, 14, lineEnd - 14), CultureInfo.InvariantCulture);
        var headerStart = lineEnd + 2;
        var header = JsonNode.Parse(data.AsSpan(headerStart, headerSize))!.AsObject();
        var payloadSize = header["payload_size"]?.GetValue<int>() ?? 0;
        JsonNode? payload = null;
        if (payloadSize > 0)
        {
            var payloadStart = headerStart + headerSize + 2;
            try
            {
                payload = JsonNode.Parse(data.AsSpan(payloadStart, payloadSize));
            }
            catch (System.Text.Json.JsonException)
            {
                payload = JsonValue.Create(Encoding.UTF8.GetString(data, payloadStart, payloadSize));
            }
        }

        return new TwilsockTestFrame(header, payload);
    }
}
