using System.Net;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary>
/// Every answer of the host (the page, its scripts, the API, problems, the emulator's endpoints) carries
/// <c>Content-Security-Policy</c> with <c>frame-ancestors 'none'</c>, <c>X-Content-Type-Options: nosniff</c> and
/// <c>Referrer-Policy</c>. (That the chat works under the policy is shown by the browser tests in EndToEnd.)
/// </summary>
public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task EveryAnswer_OnTheEmulator_CarriesTheHeaders()
    {
        await using var host = new ChatHostFactory();
        using var client = host.CreateRealClient();
        var script = "/assets/" + Path.GetFileName(Directory.EnumerateFiles(
            Path.Combine(ChatHostFactory.RepositoryRoot, "samples", "WebApiHost", "wwwroot", "assets"), "*.js").First());

        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("the page", await client.GetAsync("/", Ct)),
            ("a script", await client.GetAsync(script, Ct)),
            ("/health", await client.GetAsync("/health", Ct)),
            ("/rooms", await client.GetAsync("/rooms", Ct)),
            ("/antiforgery", await client.GetAsync("/antiforgery", Ct)),
            ("a refused POST /login", await client.PostAsync("/login", new StringContent("{}"), Ct)),
            ("/token without a session", await client.PostAsync("/token", null, Ct)),
            ("no such page", await client.GetAsync("/no-such-thing", Ct)),
            ("the emulator without credentials", await client.GetAsync("/emulator/v1/Conversations", Ct)),
        };

        answers.Select(a => (a.What, a.Response.StatusCode)).Should().Contain([("the page", HttpStatusCode.OK), ("a script", HttpStatusCode.OK)]);
        foreach (var (what, response) in answers)
        {
            var policy = string.Join(",", response.Headers.TryGetValues("Content-Security-Policy", out var p) ? p : []);
            policy.Should().Contain("frame-ancestors 'none'", what).And.Contain("script-src 'self'", what).And.Contain("connect-src 'self'", what)
                .And.NotContain("unsafe-inline", what).And.NotContain("unsafe-eval", what);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], what);
            response.Headers.GetValues("Referrer-Policy").Should().Equal(["no-referrer"], what);
        }
    }

    [Fact]
    public async Task OnTwilio_ThePolicyLetsTheSdkReachTwilio()
    {
        await using var twilio = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var c = twilio.Credentials;
        await using var host = new ChatHostFactory
        {
            TwilioSettings = new Dictionary<string, string>
            {
                ["Twilio:AccountSid"] = c.AccountSid,
                ["Twilio:AuthToken"] = c.AuthToken,
                ["Twilio:ApiKeySid"] = c.ApiKeySid,
                ["Twilio:ApiKeySecret"] = c.ApiKeySecret,
                ["Twilio:BaseAddress"] = twilio.BaseAddress.ToString(),
            },
        };
        using var client = host.CreateRealClient();

        var page = await client.GetAsync("/", Ct);

        string.Join(",", page.Headers.GetValues("Content-Security-Policy")).Should()
            .Contain("connect-src 'self' https://*.twilio.com wss://*.twilio.com").And.Contain("frame-ancestors 'none'")
            .And.Contain("img-src 'self' data: https://*.twilio.com", "pictures in messages come from Twilio's media URLs");
    }

    [Fact]
    public async Task UploadedPage_ServedByTheMountedEmulator_KeepsItsSandbox_UnderTheHostsPolicy()
    {
        await using var host = new ChatHostFactory();
        using var client = host.CreateRealClient();
        var c = host.EmulatorCredentials;
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{c.AccountSid}:{c.AuthToken}")));
        var service = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/emulator/v1/Configuration", Ct))
            .RootElement.GetProperty("default_chat_service_sid").GetString();
        using var page = new StringContent("<script>alert(1)</script>", System.Text.Encoding.UTF8, "text/html");
        using var uploaded = await client.PostAsync($"/emulator/mcs/v1/Services/{service}/Media?Filename=page.html", page, Ct);
        var sid = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("sid").GetString();

        using var content = await client.GetAsync($"/emulator/mcs/v1/Services/{service}/Media/{sid}/Content", Ct);

        content.StatusCode.Should().Be(HttpStatusCode.OK);
        var policies = content.Headers.GetValues("Content-Security-Policy").ToList();
        policies.Should().HaveCount(2).And.Contain(p => p.StartsWith("sandbox", StringComparison.Ordinal)).And.Contain(p => p.Contains("frame-ancestors 'none'"));
        content.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
    }
}
