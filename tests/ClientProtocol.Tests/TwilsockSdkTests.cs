using System.Text.Json.Nodes;
using FluentAssertions;

namespace ClientProtocol.Tests;

/// <summary>Twilio's own twilsock client, unmodified, over a real websocket to the emulator's twilsock endpoint.</summary>
public sealed class TwilsockSdkTests
{
    private static JsonObject Single(IReadOnlyList<JsonObject> events, string name) =>
        events.Should().ContainSingle(e => (string)e["event"]! == name, $"the probe printed: {string.Join('\n', events)}").Subject;

    [Fact]
    public async Task Requests_RideTheSocket_AndComeBackWithTheirHttpStatus()
    {
        await using var server = await TwilsockTestServer.StartAsync(o => o.MaxFrameBytes = 512 * 1024);

        var events = await NodeProbe.RunAsync("twilsock-probe.mjs", ["requests", server.TwilsockUri.ToString(), TwilsockTestServer.Token("alice", TimeSpan.FromHours(1))], Ct);

        events.Should().Contain(e => (string)e["event"]! == "state" && (string)e["state"]! == "connected");
        var get = Single(events, "get");
        get["status"]!["code"]!.GetValue<int>().Should().Be(200);
        get["body"]!["identity"]!.GetValue<string>().Should().Be("alice", "a tunnelled request acts for the token's identity");
        get["body"]!["path"]!.GetValue<string>().Should().Be("/chat/Echo/a%2Fb", "an escaped slash stays inside its segment");
        get["body"]!["query"]!["y"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("2", "3");
        get["body"]!["host"]!.GetValue<string>().Should().Be("emulator.test");

        var post = Single(events, "post");
        JsonNode.Parse(post["body"]!["body"]!.GetValue<string>())!["hello"]!.GetValue<string>().Should().Be("wörld ✓");
        post["body"]!["contentType"]!.GetValue<string>().Should().StartWith("application/json");

        var notFound = Single(events, "notfound");
        notFound["status"]!.GetValue<int>().Should().Be(404);
        notFound["body"]!["code"]!.GetValue<int>().Should().Be(20404);

        Single(events, "big")["error"]!.GetValue<string>().Should().Contain("Payload Too Large");
        Single(events, "afterBig")["status"]!["code"]!.GetValue<int>().Should().Be(200, "a refused frame does not end the connection");

        var pushed = Single(events, "notification");
        pushed["type"]!.GetValue<string>().Should().Be("test.notification");
        pushed["payload"]!["text"]!.GetValue<string>().Should().Be("pushed");
    }

    [Theory]
    [InlineData("not-a-token", 20101, false)]
    [InlineData("expired", 20104, true)]
    public async Task Init_RefusedToken_LeavesTheClientDenied(string token, int errorCode, bool expired)
    {
        await using var server = await TwilsockTestServer.StartAsync();
        if (token == "expired")
        {
            token = TwilsockTestServer.Token("alice", TimeSpan.FromMinutes(-1));
        }

        var events = await NodeProbe.RunAsync("twilsock-probe.mjs", ["denied", server.TwilsockUri.ToString(), token], Ct);

        events.Should().Contain(e => (string)e["event"]! == "state" && (string)e["state"]! == "denied");
        events.Should().NotContain(e => (string)e["event"]! == "state" && (string)e["state"]! == "connected");
        var error = events.First(e => (string)e["event"]! == "connectionError");
        error["httpStatusCode"]!.GetValue<int>().Should().Be(401);
        error["errorCode"]!.GetValue<int>().Should().Be(errorCode);
        events.Any(e => (string)e["event"]! == "tokenExpired").Should().Be(expired);
        server.Sessions.Count.Should().Be(0);
    }

    [Fact]
    public async Task TokenAboutToExpire_ThenUpdate_KeepsTheConnectionPastTheFirstExpiry()
    {
        await using var server = await TwilsockTestServer.StartAsync(o => o.TokenAboutToExpireLead = TimeSpan.FromMinutes(3));

        var events = await NodeProbe.RunAsync(
            "twilsock-probe.mjs",
            ["renew", server.TwilsockUri.ToString(), TwilsockTestServer.Token("alice", TimeSpan.FromSeconds(3)), TwilsockTestServer.Token("alice", TimeSpan.FromHours(1))],
            Ct);

        Single(events, "tokenAboutToExpire");
        Single(events, "updated");
        Single(events, "afterUpdate")["status"]!["code"]!.GetValue<int>().Should().Be(200);
        var still = Single(events, "stillConnected");
        still["state"]!.GetValue<string>().Should().Be("connected");
        still["expired"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Expiry_WithoutUpdate_ClosesWith410_AndTheSdkReportsTokenExpired()
    {
        await using var server = await TwilsockTestServer.StartAsync();

        var events = await NodeProbe.RunAsync("twilsock-probe.mjs", ["expire", server.TwilsockUri.ToString(), TwilsockTestServer.Token("alice", TimeSpan.FromSeconds(2))], Ct);

        events.Should().Contain(e => (string)e["event"]! == "state" && (string)e["state"]! == "connected");
        Single(events, "tokenExpired");
        Single(events, "final")["state"]!.GetValue<string>().Should().NotBe("connected");
    }
}
