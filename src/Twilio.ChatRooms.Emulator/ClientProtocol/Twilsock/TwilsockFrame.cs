using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// One twilsock v3 frame: <c>TWILSOCK V3.0 {header bytes}\r\n{header JSON}\r\n{payload}</c>, as Twilio's JavaScript
/// client parses and writes it (twilsock 1.0.2, <c>dist/parser.js</c>). Byte counts are of UTF-8, not characters.
/// </summary>
internal sealed record TwilsockFrame(JsonObject Header, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The start of every frame.</summary>
    public static ReadOnlySpan<byte> Magic => "TWILSOCK V3.0 "u8;

    /// <summary>The frame's <c>method</c>: init, update, message, close, reply, notification, client_update, ping.</summary>
    public string? Method => StringOf(Header, "method");

    /// <summary>The frame's <c>id</c>, echoed in the reply to it.</summary>
    public string? Id => StringOf(Header, "id");

    /// <summary>Reads a string field of the header, or null when it is absent or not a string.</summary>
    public string? HeaderString(string name) => StringOf(Header, name);

    /// <summary>Parses one websocket message. Returns false, with a reason, for anything the SDK would drop.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out TwilsockFrame? frame, [NotNullWhen(false)] out string? error)
    {
        frame = null;
        if (!TryParseHeader(data, out var header, out var afterHeader, out error))
        {
            return false;
        }

        var payloadSize = header.TryGetPropertyValue("payload_size", out var sizeNode) && sizeNode is JsonValue sv && sv.TryGetValue(out int n) ? n : 0;
        var rest = data[afterHeader..];
        ReadOnlySpan<byte> payload = [];
        if (payloadSize > 0)
        {
            // The JavaScript client writes "\r\n" between header and payload; a payload may be followed by a CRLF
            // of its own (Twilio's Kotlin client adds one), which is ignored.
            if (!rest.StartsWith("\r\n"u8) || payloadSize > rest.Length - 2)
            {
                error = $"the header claims a payload of {payloadSize} bytes that the frame does not hold";
                return false;
            }

            payload = rest.Slice(2, payloadSize);
        }

        frame = new TwilsockFrame(header, payload.ToArray());
        return true;
    }

    /// <summary>Parses the magic line and the header only; <paramref name="afterHeader"/> is where the header ends.</summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> data, [NotNullWhen(true)] out JsonObject? header, out int afterHeader, [NotNullWhen(false)] out string? error)
    {
        header = null;
        afterHeader = 0;
        if (!data.StartsWith(Magic))
        {
            error = "the frame does not start with 'TWILSOCK V3.0 '";
            return false;
        }

        var rest = data[Magic.Length..];
        var lineEnd = rest.IndexOf("\r\n"u8);
        if (lineEnd is <= 0 or > 9
            || !int.TryParse(rest[..lineEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var headerSize))
        {
            error = "the header size is not a number";
            return false;
        }

        var headerStart = Magic.Length + lineEnd + 2;
        if (headerSize > data.Length - headerStart)
        {
            error = $"the header claims {headerSize} bytes but the frame has {data.Length - headerStart}";
            return false;
        }

        try
        {
            header = JsonNode.Parse(data.Slice(headerStart, headerSize)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            error = "the header is not a JSON object: " + e.Message;
            return false;
        }

        afterHeader = headerStart + headerSize;
        error = null;
        return true;
    }

    /// <summary>A string field of a header, or null when it is absent or not a string.</summary>
    public static string? StringOf(JsonObject header, string name) =>
        header.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>Writes the frame; <c>payload_size</c> is set from <see cref="Payload"/>.</summary>
    public byte[] Encode()
    {
        Header["payload_size"] = Payload.Length;
        return Encode(JsonSerializer.SerializeToUtf8Bytes(Header), Payload.Span);
    }

    /// <summary>A frame of a header already written as JSON (its <c>payload_size</c> set) and its payload.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        Span<byte> sizeText = stackalloc byte[10];
        System.Buffers.Text.Utf8Formatter.TryFormat(header.Length, sizeText, out var sizeLength);
        var bytes = new byte[Magic.Length + sizeLength + 2 + header.Length + 2 + payload.Length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        span = span[Magic.Length..];
        sizeText[..sizeLength].CopyTo(span);
        span = span[sizeLength..];
        "\r\n"u8.CopyTo(span);
        span = span[2..];
        header.CopyTo(span);
        span = span[header.Length..];
        "\r\n"u8.CopyTo(span);
        payload.CopyTo(span[2..]);
        return bytes;
    }

    /// <summary>A frame with a JSON payload (<c>payload_type</c> application/json) or none.</summary>
    public static TwilsockFrame Create(JsonObject header, JsonNode? payload = null)
    {
        if (payload is null)
        {
            return new TwilsockFrame(header, ReadOnlyMemory<byte>.Empty);
        }

        header["payload_type"] = "application/json";
        return new TwilsockFrame(header, JsonSerializer.SerializeToUtf8Bytes(payload));
    }

    /// <summary>A transport status object: <c>{"code": 200, "status": "OK"}</c>, with Twilio's error code when given.</summary>
    /// <summary>A <c>reply</c> frame to the client's frame <paramref name="id"/> with <paramref name="status"/>.</summary>
    public static TwilsockFrame Reply(string id, JsonObject status) =>
        Create(new JsonObject { ["method"] = "reply", ["id"] = id, ["status"] = status });

    public static JsonObject Status(int code, string status, int? errorCode = null, string? description = null)
    {
        var node = new JsonObject { ["code"] = code, ["status"] = status };
        if (errorCode is { } e)
        {
            node["errorCode"] = e;
        }

        if (description is not null)
        {
            node["description"] = description;
        }

        return node;
    }
}
