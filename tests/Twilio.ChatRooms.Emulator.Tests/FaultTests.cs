using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>Each test has its own emulator: faults are server-wide.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task FailNextRequests429_FailsExactlyThatManyWithRetryAfter()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.Faults.FailNextRequests429 = 2, Ct);
        using var http = EmulatorClients.Raw(server);

        var first = await http.GetAsync("v1/Conversations", Ct);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var sdk = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.ReadAsync(client: EmulatorClients.Twilio(server)));
        var third = await http.GetAsync("v1/Conversations", Ct);

        first.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        first.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        body.GetProperty("code").GetInt32().Should().Be(20429);
        body.GetProperty("status").GetInt32().Should().Be(429);
        sdk.Status.Should().Be(429);
        sdk.Code.Should().Be(20429);
        third.StatusCode.Should().Be(HttpStatusCode.OK);
        server.Faults.FailNextRequests429.Should().Be(0);
    }

    [Fact]
    public async Task FailNextRequests503_SetAtRunTime()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(server);

        var before = await http.GetAsync("v1/Conversations", Ct);
        server.Faults.FailNextRequests503 = 1;
        var during = await http.GetAsync("v1/Conversations", Ct);
        var after = await http.GetAsync("v1/Conversations", Ct);

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        during.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await during.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32().Should().Be(503);
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rates_OneAndZero_FailAllOrNone()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.Faults.TooManyRequestsRate = 1, Ct);
        using var http = EmulatorClients.Raw(server);

        var all = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => http.GetAsync("v1/Conversations", Ct)));
        server.Faults.TooManyRequestsRate = 0;
        server.Faults.ServiceUnavailableRate = 1;
        var unavailable = await http.GetAsync("v1/Conversations", Ct);
        server.Faults.ServiceUnavailableRate = 0;
        var none = await http.GetAsync("v1/Conversations", Ct);

        all.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        unavailable.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        none.StatusCode.Should().Be(HttpStatusCode.OK);
        FluentActions.Invoking(() => server.Faults.TooManyRequestsRate = 1.5).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Latency_DelaysEachRequest()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o =>
        {
            o.Faults.Latency = TimeSpan.FromMilliseconds(300);
            o.Faults.LatencyJitter = 0.1;
        }, Ct);
        using var http = EmulatorClients.Raw(server);

        var watch = Stopwatch.StartNew();
        var response = await http.GetAsync("v1/Conversations", Ct);
        watch.Stop();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(260));
    }

    [Fact]
    public async Task CustomCredentials_AreTheOnlyOnesAccepted()
    {
        var custom = new EmulatorCredentials("AC" + new string('1', 32), "token", "SK" + new string('1', 32), new string('s', 40));
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.Credentials = custom, Ct);
        using var http = EmulatorClients.Raw(server);
        using var dev = new HttpClient();
        dev.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{EmulatorCredentials.Development.ApiKeySid}:{EmulatorCredentials.Development.ApiKeySecret}")));

        var ok = await http.GetAsync("v1/Configuration", Ct);
        var refused = await dev.GetAsync($"{server.BaseAddress}/v1/Configuration", Ct);

        server.Credentials.Should().Be(custom);
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ok.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("account_sid").GetString().Should().Be(custom.AccountSid);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TwilioRateLimits_WhenEnforced_ThrottleMessageWritesPerConversation()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.Faults.EnforceTwilioRateLimits = true, Ct);
        using var http = EmulatorClients.Raw(server);
        var busy = (await (await http.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "busy")), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString();
        var quiet = (await (await http.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "quiet")), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString();

        var burst = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => http.PostAsync($"v1/Conversations/{busy}/Messages", EmulatorClients.Form(("Body", $"m{i}")), Ct)));
        var reads = await http.GetAsync($"v1/Conversations/{busy}/Messages", Ct);
        var other = await http.PostAsync($"v1/Conversations/{quiet}/Messages", EmulatorClients.Form(("Body", "hi")), Ct);
        var throttled = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();

        burst.Count(r => r.StatusCode == HttpStatusCode.Created).Should().BeGreaterThanOrEqualTo(30);
        throttled.Should().NotBeEmpty();
        (await throttled[0].Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetInt32().Should().Be(20429);
        reads.StatusCode.Should().Be(HttpStatusCode.OK, "reads are not limited");
        other.StatusCode.Should().Be(HttpStatusCode.Created, "the limit is per conversation");
    }

    [Fact]
    public async Task TwilioRateLimits_AreOffByDefault()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(server);

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => http.PostAsync("v1/Users", EmulatorClients.Form(("Identity", $"u{i}")), Ct)));

        server.Faults.EnforceTwilioRateLimits.Should().BeFalse();
        burst.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created);
    }
}
