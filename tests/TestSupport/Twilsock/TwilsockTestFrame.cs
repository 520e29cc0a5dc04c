using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// One twilsock v3 frame as the tests read and write it, from the protocol (docs/client-protocol.md), not from the
/// emulator's code: <c>TWILSOCK V3.0 {header bytes}\r\n{header}\r\n{payload}</c>, byte counts of UTF-8. The payload is
/// read as JSON (null when there is none; a string when it is not JSON).
/// </summary>
public sealed record TwilsockTestFrame(JsonObject Header, JsonNode? Payload)
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
        // As written: no payload_type added, so a test can send a frame without one.
        return TwilsockWire.Encode(header, payload is null ? [] : Encoding.UTF8.GetBytes(payload), typeUnlessSet: null);
    }

    /// <summary>Reads a frame: the magic and header size line, the header, then its payload after a CRLF.</summary>
    public static TwilsockTestFrame Decode(byte[] data)
    {
        if (!TwilsockWire.TrySplit(data, out var headerBytes, out var payloadBytes))
        {
            throw new FormatException("not a twilsock frame: " + Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 32)));
        }

        var header = JsonNode.Parse(headerBytes)!.AsObject();
        var payloadSize = Math.Min(header["payload_size"]?.GetValue<int>() ?? 0, payloadBytes.Length);
        JsonNode? payload = null;
        if (payloadSize > 0)
        {
            try
            {
                payload = JsonNode.Parse(payloadBytes[..payloadSize]);
            }
            catch (System.Text.Json.JsonException)
            {
                payload = JsonValue.Create(Encoding.UTF8.GetString(payloadBytes[..payloadSize]));
            }
        }

        return new TwilsockTestFrame(header, payload);
    }
}
