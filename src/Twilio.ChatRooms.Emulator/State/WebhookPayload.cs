using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// A pending webhook's form fields, in the order they were added, packed into one UTF-8 array that holds no
/// references. A delivery can wait long in its lane (a receiver that stalls 5 s lets tens of thousands queue up at a
/// chat's pace), and a dictionary of strings per delivery was a dozen objects the garbage collector copied from
/// generation to generation: the longest pauses of the fan-out with a stalled receiver (docs/benchmarks.md). One array
/// is copied in one go. Stored as the same JSON object as before (name to value).
/// </summary>
[JsonConverter(typeof(WebhookPayloadJsonConverter))]
internal sealed class WebhookPayload : IReadOnlyCollection<KeyValuePair<string, string>>
{
    // Per field: the name's UTF-8 length (7-bit encoded), the name, the value's length, the value.
    private readonly byte[] _packed;

    private WebhookPayload(byte[] packed, int count)
    {
        _packed = packed;
        Count = count;
    }

    public int Count { get; }

    /// <summary>
    /// Packs <paramref name="fields"/>, in their order (their names are distinct: a dictionary's, or checked), through
    /// <paramref name="scratch"/> when given (cleared first; one caller at a time), so that only the packed array is new.
    /// </summary>
    public static WebhookPayload Of(IEnumerable<KeyValuePair<string, string>> fields, ArrayBufferWriter<byte>? scratch = null)
    {
        var buffer = scratch ?? new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var count = 0;
        foreach (var (name, value) in fields)
        {
            Write(buffer, name);
            Write(buffer, value);
            count++;
        }

        return new WebhookPayload(buffer.WrittenSpan.ToArray(), count);
    }

    /// <summary>The value of <paramref name="name"/>, or null when the payload has none.</summary>
    public string? GetValueOrDefault(string name)
    {
        foreach (var (key, value) in this)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var offset = 0; offset < _packed.Length;)
        {
            var name = Read(_packed, ref offset);
            var value = Read(_packed, ref offset);
            yield return new(name, value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void Write(ArrayBufferWriter<byte> buffer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = buffer.GetSpan(length + 5);
        var at = 0;
        for (var rest = (uint)length; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                span[at++] = (byte)rest;
                break;
            }

            span[at++] = (byte)(rest | 0x80);
        }

        at += Encoding.UTF8.GetBytes(text, span[at..]);
        buffer.Advance(at);
    }

    private static string Read(byte[] packed, ref int offset)
    {
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = packed[offset++];
            length |= (b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(packed, offset, length);
        offset += length;
        return text;
    }
}

/// <summary>A <see cref="WebhookPayload"/> as a JSON object of strings, in its order; strict: only string values.</summary>
internal sealed class WebhookPayloadJsonConverter : JsonConverter<WebhookPayload>
{
    public override WebhookPayload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A webhook payload is an object");
        }

        var fields = new List<KeyValuePair<string, string>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!names.Add(name))
            {
                throw new JsonException($"The webhook payload has {name} twice");
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"The webhook payload's {name} is not a string");
            }

            fields.Add(new(name, reader.GetString()!));
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("A webhook payload is an object of strings");
        }

        return WebhookPayload.Of(fields);
    }

    public override void Write(Utf8JsonWriter writer, WebhookPayload value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, text) in value)
        {
            writer.WriteString(name, text);
        }

        writer.WriteEndObject();
    }
}
