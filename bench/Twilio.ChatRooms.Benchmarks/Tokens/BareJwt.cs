using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Twilio.ChatRooms.Benchmarks.Tokens;

/// <summary>The floor: the same Twilio access token, with nothing but a JSON writer, HMACSHA256 and Base64Url.</summary>
internal sealed class BareJwt(string accountSid, string apiKeySid, string apiKeySecret, string serviceSid)
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"cty":"twilio-fpa;v=1","typ":"JWT","alg":"HS256"}""");
    private readonly byte[] key = Encoding.UTF8.GetBytes(apiKeySecret);
    private readonly ArrayBufferWriter<byte> payload = new(512);

    public string Issue(string identity)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        payload.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("jti", string.Create(CultureInfo.InvariantCulture, $"{apiKeySid}-{now}"));
            json.WriteString("iss", apiKeySid);
            json.WriteString("sub", accountSid);
            json.WriteNumber("exp", now + 3600);
            json.WriteStartObject("grants");
            json.WriteString("identity", identity);
            json.WriteStartObject("chat");
            json.WriteString("service_sid", serviceSid);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var headerLength = Base64Url.GetEncodedLength(Header.Length);
        var payloadLength = Base64Url.GetEncodedLength(payload.WrittenCount);
        var signatureLength = Base64Url.GetEncodedLength(HMACSHA256.HashSizeInBytes);
        var signingLength = headerLength + 1 + payloadLength;
        Span<byte> token = stackalloc byte[signingLength + 1 + signatureLength];
        Base64Url.EncodeToUtf8(Header, token);
        token[headerLength] = (byte)'.';
        Base64Url.EncodeToUtf8(payload.WrittenSpan, token[(headerLength + 1)..]);
        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, token[..signingLength], signature);
        token[signingLength] = (byte)'.';
        Base64Url.EncodeToUtf8(signature, token[(signingLength + 1)..]);
        return Encoding.ASCII.GetString(token);
    }
}
