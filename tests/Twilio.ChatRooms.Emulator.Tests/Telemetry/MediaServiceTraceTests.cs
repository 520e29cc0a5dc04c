using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.Emulator.Tests.Telemetry;

/// <summary>
/// The media service's requests are spans as REST's are: one server span per request, continuing the caller's
/// <c>traceparent</c>, named after the route with its status, and never carrying a temporary URL's token (a credential
/// while it lasts).
/// </summary>
public sealed class MediaServiceTraceTests
{
    [Fact]
    public async Task Upload_AndTemporaryUrl_AreServerSpansNamedByRoute_WithoutTheToken()
    {
        using var spans = new EmulatorSpans();
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(server);
        var caller = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        using var upload = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{server.DefaultServiceSid}/Media")
        {
            Content = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47]) { Headers = { ContentType = new("image/png") } },
        };
        upload.Headers.Add("traceparent", $"00-{caller}-{callerSpan}-01");
        using var uploaded = await http.SendAsync(upload, Ct);
        uploaded.StatusCode.Should().Be(HttpStatusCode.Created);
        var temporary = JsonNode.Parse(await uploaded.Content.ReadAsStringAsync(Ct))!["links"]!["content_direct_temporary"]!.GetValue<string>();
        using var anonymous = new HttpClient();
        (await anonymous.GetByteArrayAsync(new Uri(temporary), Ct)).Should().HaveCount(4);
        using var refused = await anonymous.GetAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{server.DefaultServiceSid}/Media/ME00000000000000000000000000000000"), Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var token = new Uri(temporary).Segments[^1];
        static bool OfTheMediaService(Activity s) => (string?)s.GetTagItem("http.route") is { } route && route.StartsWith("/mcs/", StringComparison.Ordinal);
        var ended = (await spans.WaitForAsync(all => all.Count(OfTheMediaService) >= 3)).Where(OfTheMediaService).ToArray();

        var post = ended.Should().ContainSingle(s => s.DisplayName == "POST /mcs/v1/Services/{service}/Media").Subject;
        post.Kind.Should().Be(ActivityKind.Server);
        post.TraceId.Should().Be(caller, "the span continues the caller's trace");
        post.ParentSpanId.Should().Be(callerSpan);
        post.GetTagItem("http.response.status_code").Should().Be(201);
        ended.Should().ContainSingle(s => s.DisplayName == "GET /mcs/content/{token}")
            .Which.GetTagItem("http.response.status_code").Should().Be(200);
        ended.Should().ContainSingle(s => s.DisplayName == "GET /mcs/v1/Services/{service}/Media/{media}")
            .Which.GetTagItem("http.response.status_code").Should().Be(401);
        foreach (var span in ended)
        {
            (span.DisplayName + " " + string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))).Should().NotContain(token);
        }
    }
}
