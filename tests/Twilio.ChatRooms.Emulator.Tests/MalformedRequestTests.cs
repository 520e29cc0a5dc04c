using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// A malformed request body is the client's error: 400 with Twilio's error body naming what is wrong, nothing changed,
/// and nothing in the log that looks like the emulator failed (no exception, nothing at Error).
/// </summary>
public sealed class MalformedRequestTests
{
    private const string Boundary = "XyZ0123";

    /// <summary>Each: what it is, its content type, its body, and a word the error message must hold.</summary>
    private static readonly (string Case, string? ContentType, byte[] Body, string Names)[] Malformed =
    [
        ("bad percent-encoding", "application/x-www-form-urlencoded", Ascii("Author=ann&Body=100%zz"), "percent"),
        ("percent sign at the end", "application/x-www-form-urlencoded", Ascii("Body=100%"), "percent"),
        ("half a percent escape", "application/x-www-form-urlencoded", Ascii("Body=a%4"), "percent"),
        ("%00 in a value", "application/x-www-form-urlencoded", Ascii("Author=ann&Body=a%00b"), "Body"),
        ("%00 in a field name", "application/x-www-form-urlencoded", Ascii("Bo%00dy=hi"), "NUL"),
        ("invalid UTF-8, escaped", "application/x-www-form-urlencoded", Ascii("Body=%C3%28"), "UTF-8"),
        ("invalid UTF-8, raw", "application/x-www-form-urlencoded", [.. Ascii("Body=ab"), 0xFF, 0xFE], "UTF-8"),
        ("an overlong UTF-8 encoding", "application/x-www-form-urlencoded", Ascii("Body=%C0%AF"), "UTF-8"),
        ("a lone surrogate", "application/x-www-form-urlencoded", Ascii("Body=%ED%A0%80"), "UTF-8"),
        ("huge field name", "application/x-www-form-urlencoded", Ascii(new string('N', 100_000) + "=x&Body=hi"), "field name"),
        ("duplicate single field", "application/x-www-form-urlencoded", Ascii("Body=one&Body=two"), "Body"),
        ("duplicate single field, another", "application/x-www-form-urlencoded", Ascii("Body=one&Author=a&Author=b"), "Author"),
        ("wrong content type with a body", "application/json", Ascii("{\"Body\":\"hi\"}"), "Content-Type"),
        ("no content type with a body", null, Ascii("Body=hi"), "Content-Type"),
        ("multipart without a boundary", "multipart/form-data", Multipart("Body", "hi"), "multipart"),
        ("multipart with another boundary", "multipart/form-data; boundary=Other999", Multipart("Body", "hi"), "multipart"),
        ("multipart with a too long boundary", "multipart/form-data; boundary=" + new string('b', 200), Multipart("Body", "hi"), "multipart"),
        ("truncated multipart", "multipart/form-data; boundary=" + Boundary, Multipart("Body", "hi")[..^12], "multipart"),
        ("multipart section without a name", "multipart/form-data; boundary=" + Boundary,
            Ascii($"--{Boundary}\r\nContent-Disposition: form-data\r\n\r\nhi\r\n--{Boundary}--\r\n"), "multipart"),
        ("multipart with %00 in a value", "multipart/form-data; boundary=" + Boundary, Multipart("Body", "a\0b"), "Body"),
        ("multipart with invalid UTF-8", "multipart/form-data; boundary=" + Boundary,
            [.. Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=\"Body\"\r\n\r\n"), 0xC3, 0x28, .. Ascii($"\r\n--{Boundary}--\r\n")], "UTF-8"),
        ("multipart with a duplicate field", "multipart/form-data; boundary=" + Boundary,
            [.. Multipart("Body", "one")[..^(Boundary.Length + 6)], .. Multipart("Body", "two")], "Body"),
    ];

    [Fact]
    public async Task MalformedBodies_Are400WithTwilioErrorNamingTheFault_NothingChanged_NoExceptionLogged()
    {
        await using var emulator = await LoggedEmulator.StartAsync(Ct);
        using var http = EmulatorClients.Raw(emulator.Root, emulator.Credentials);
        var conversation = await CreateConversationAsync(http);
        var messages = $"v1/Conversations/{conversation}/Messages";

        // The same request, well formed, is accepted: each case fails only by what it breaks.
        (await SendAsync(http, messages, "application/x-www-form-urlencoded", Ascii("Author=ann&Body=a%20b%C3%A9"))).Status.Should().Be(201);
        (await SendAsync(http, messages, "multipart/form-data; boundary=" + Boundary, Multipart("Body", "hi"))).Status.Should().Be(201);

        var answers = new List<string>();
        foreach (var (name, contentType, body, names) in Malformed)
        {
            var (status, json) = await SendAsync(http, messages, contentType, body);
            answers.Add($"{name}: {status} {json}");
            status.Should().Be(400, name);
            TwilioError(json).Should().BeTrue($"{name} answers Twilio's error body, not {json}");
            var error = JsonDocument.Parse(json).RootElement;
            error.GetProperty("status").GetInt32().Should().Be(400, name);
            error.GetProperty("message").GetString().Should().Contain(names, name);
            error.GetProperty("message").GetString()!.Length.Should().BeLessThan(400, $"{name}: the message does not echo the body");
        }

        var stored = await http.GetFromJsonAsync<JsonElement>(messages, Ct);
        stored.GetProperty("messages").GetArrayLength().Should().Be(2, "no malformed request stored anything: " + string.Join("\n", answers));
        NoFailureLogged(emulator.Logs);
    }

    [Fact]
    public async Task RandomMutationsOfAValidBody_NeverAnswer5xx_AndEveryRefusalIsTwilioError()
    {
        await using var emulator = await LoggedEmulator.StartAsync(Ct);
        using var http = EmulatorClients.Raw(emulator.Root, emulator.Credentials);
        var conversation = await CreateConversationAsync(http);
        var messages = $"v1/Conversations/{conversation}/Messages";
        var forms = new[]
        {
            ("application/x-www-form-urlencoded", Ascii("Author=ann&Body=hello%20w%C3%B6rld+again&Attributes=%7B%22k%22%3A1%7D")),
            ("multipart/form-data; boundary=" + Boundary, Multipart("Body", "hello")),
        };
        byte[] alphabet = [.. Ascii("%&=+;-\r\n\"0aFz"), 0x00, 0x80, 0xC3, 0xFF];
        var random = new Random(20261207);
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < 300; i++)
        {
            var (contentType, valid) = forms[i % forms.Length];
            var body = new List<byte>(valid);
            for (var edits = random.Next(1, 4); edits > 0 && body.Count > 0; edits--)
            {
                var at = random.Next(body.Count);
                switch (random.Next(4))
                {
                    case 0: body[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: body.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2: body.RemoveAt(at); break;
                    default: body.RemoveRange(at, body.Count - at); break;
                }
            }

            var (status, json) = await SendAsync(http, messages, contentType, [.. body]);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            status.Should().BeLessThan(500, $"mutation {i} ({Encoding.Latin1.GetString([.. body])}) answered {json}");
            if (status >= 400)
            {
                TwilioError(json).Should().BeTrue($"mutation {i} answers Twilio's error body, not {json}");
            }
        }

        statuses.Keys.Should().Contain(400, "the mutations include malformed bodies");
        NoFailureLogged(emulator.Logs);
    }

    private static void NoFailureLogged(CapturingLoggerProvider logs)
    {
        logs.Entries.Should().NotContain(e => e.Exception != null, "no refused request is logged with a stack trace");
        logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Error, "a malformed request is not the emulator's failure");
    }

    private static bool TwilioError(string json)
    {
        try
        {
            var e = JsonDocument.Parse(json).RootElement;
            return e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Count() == 4
                && e.GetProperty("code").ValueKind == JsonValueKind.Number && e.GetProperty("status").ValueKind == JsonValueKind.Number
                && e.GetProperty("message").ValueKind == JsonValueKind.String
                && e.GetProperty("more_info").GetString() == $"https://www.twilio.com/docs/errors/{e.GetProperty("code").GetInt32()}";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<string> CreateConversationAsync(HttpClient http)
    {
        using var created = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "malformed")), Ct);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
    }

    private static async Task<(int Status, string Json)> SendAsync(HttpClient http, string path, string? contentType, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await http.PostAsync(path, content, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Multipart(string name, string value) =>
        Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n--{Boundary}--\r\n");
}
