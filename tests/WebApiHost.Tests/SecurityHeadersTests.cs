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
            .Contain("connect-src 'self' https://*.twilio.com wss://*.twilio.com").And.Contain("frame-ancestors 'none'");
    }
}
