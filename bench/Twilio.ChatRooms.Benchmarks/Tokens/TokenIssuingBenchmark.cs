using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks;

/// <summary>
/// Tokens per second: <see cref="ITokenIssuer.IssueAsync"/> (service SID configured, so no lookup) against a floor, a
/// bare HS256 JWT of the same header and claims written by hand with HMACSHA256 and Base64Url. A warmed-up Stopwatch
/// loop over a fixed count, one thread, both in the same run.
/// </summary>
internal static class TokenIssuingBenchmark
{
    private const string ServiceSid = "IS00000000000000000000000000000000";

    public static async Task<string> RunAsync(bool quick)
    {
        var count = quick ? 20_000 : 200_000;
        var rounds = quick ? 1 : 3;

        await using var server = await ConversationsEmulatorServer.StartAsync();
        await using var provider = EmulatorBackedLibrary.Create(server, o => o.ServiceSid = ServiceSid);
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var floor = new BareJwt(server.Credentials.AccountSid, server.Credentials.ApiKeySid, server.Credentials.ApiKeySecret, ServiceSid);

        // Warm-up: JIT (tiered up to full optimisation) and caches, both sides.
        var warmUp = Math.Min(count, 20_000);
        await MeasureAsync(warmUp, async i => (await issuer.IssueAsync(Identity(i))).Token.Length);
        Measure(warmUp, i => floor.Issue(Identity(i)).Length);
        await Task.Delay(200);

        var oursRates = new List<double>();
        var floorRates = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            oursRates.Add(await MeasureAsync(count, async i => (await issuer.IssueAsync(Identity(i))).Token.Length));
            floorRates.Add(Measure(count, i => floor.Issue(Identity(i)).Length));
        }

        var ours = oursRates.Order().ElementAt(rounds / 2);
        var bare = floorRates.Order().ElementAt(rounds / 2);
        var sample = (await issuer.IssueAsync("alice")).Token;
        return new StringBuilder()
            .AppendLine("## Token issuing per second")
            .AppendLine()
            .AppendLine("| issuer | tokens/s | µs/token | token length |")
            .AppendLine("| --- | ---: | ---: | ---: |")
            .AppendLine(CultureInfo.InvariantCulture, $"| bare HS256 JWT (HMACSHA256 + Base64Url, by hand) | {bare:N0} | {1e6 / bare:F2} | {floor.Issue("alice").Length} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| Twilio.ChatRooms `ITokenIssuer.IssueAsync` | {ours:N0} | {1e6 / ours:F2} | {sample.Length} |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Ours runs at **{ours / bare:P1} of the floor** ({bare / ours:F1}× slower). Median of {rounds} round(s) of {count:N0} tokens each, ")
            .AppendLine("one thread, after a warm-up, timed with a Stopwatch loop (not BenchmarkDotNet). Both sign the same header ")
            .AppendLine("and claims (jti, iss, sub, exp, grants.identity, grants.chat.service_sid) with the same key; the identity ")
            .AppendLine("changes every call, and the library's call also validates the identity and writes a log event (filtered ")
            .AppendLine("out here). Most of the gap is expected in the Twilio SDK's `Token.ToJwt()`, which builds the header and claims ")
            .AppendLine("as dictionaries and serialises and signs them through a general-purpose JWT library, where the floor writes ")
            .AppendLine("UTF-8 JSON straight into a buffer and signs it with the one-shot `HMACSHA256.HashData` (not profiled). Either way ")
            .AppendLine("a token costs tens of microseconds at most, far below the REST round trips a login makes (part 1), so issuing ")
            .AppendLine("is not where login time goes and replacing the SDK's signer is not worth it.")
            .ToString();
    }

    private static string Identity(int i) => string.Create(CultureInfo.InvariantCulture, $"user-{i}");

    private static double Measure(int count, Func<int, int> action)
    {
        var sink = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            sink += action(i);
        }

        GC.KeepAlive(sink);
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> MeasureAsync(int count, Func<int, Task<int>> action)
    {
        var sink = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            sink += await action(i);
        }

        GC.KeepAlive(sink);
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The floor: the same Twilio access token, with nothing but a JSON writer, HMACSHA256 and Base64Url.</summary>
    private sealed class BareJwt(string accountSid, string apiKeySid, string apiKeySecret, string serviceSid)
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
}
