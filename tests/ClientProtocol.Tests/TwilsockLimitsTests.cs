using System.Net;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using Twilio.ChatRooms.TestSupport;

namespace ClientProtocol.Tests;

/// <summary>
/// What a client may hold of the server: a connection without a token sends only small frames, every frame has a read
/// deadline, and one user and one address hold a bounded number of connections. Each limit is configured small here,
/// and the tests wait for the connection to end rather than timing anything.
/// </summary>
public sealed class TwilsockLimitsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Never = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task LargeFrame_BeforeInit_EndsTheConnectionWithoutReadingIt()
    {
        // Neither the init timeout nor the read deadline can be what ends it.
        await using var server = await TwilsockTestServer.StartAsync(o => { o.InitTimeout = Never; o.FrameReadTimeout = Never; });
        await using var client = await TwilsockTestClient.OpenAsync(server.TwilsockUri, Ct);

        // 600 KB, its end never sent: before, the server read it all and held it, waiting for the rest.
        var sending = client.SendPartialAsync(new byte[600 * 1024], Ct);

        (await client.Closed.WaitAsync(Bound, Ct)).Should().BeNull("a connection without a token is cut at a frame larger than an init");
        await sending.ContinueWith(_ => { }, TaskScheduler.Default); // the send fails or finishes once the socket is gone
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HalfSentFrame_IsDroppedAtTheReadDeadline(bool initialised)
    {
        await using var server = await TwilsockTestServer.StartAsync(o => { o.InitTimeout = Never; o.FrameReadTimeout = TimeSpan.FromSeconds(1); });
        await using var client = initialised
            ? await TwilsockTestClient.ConnectAsync(server.TwilsockUri, TwilsockTestServer.Token("alice", TimeSpan.FromHours(1)), Ct)
            : await TwilsockTestClient.OpenAsync(server.TwilsockUri, Ct);
        if (initialised)
        {
            client.InitReply.StatusCode.Should().Be(200);
        }

        await client.SendPartialAsync(Encoding.ASCII.GetBytes("TWILSOCK V3.0 40\r\n{\"method\":\"message\""), Ct);

        (await client.Closed.WaitAsync(Bound, Ct)).Should().BeNull("a frame whose rest does not come ends its connection, token or not");
    }

    [Fact]
    public async Task Connections_OverTheIdentitysLimit_AreRefusedAt429_AndTheOpenOnesKept()
    {
        await using var server = await TwilsockTestServer.StartAsync(o => o.MaxConnectionsPerIdentity = 2);
        var alice = TwilsockTestServer.Token("alice", TimeSpan.FromHours(1));
        await using var first = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, alice, Ct);
        await using var second = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, alice, Ct);

        await using (var third = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, alice, Ct))
        {
            third.InitReply.StatusCode.Should().Be(429);
            third.InitReply.ErrorCode.Should().Be(20429);
            (await third.Closed.WaitAsync(Bound, Ct)).Should().BeNull("the refused connection ends");
        }

        first.InitReply.StatusCode.Should().Be(200);
        second.InitReply.StatusCode.Should().Be(200);
        (await first.RequestAsync("GET", "/chat/Echo/1", null, Ct)).HttpStatus.Should().Be(200, "the open connections are kept");
        await using (var bob = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, TwilsockTestServer.Token("bob", TimeSpan.FromHours(1)), Ct))
        {
            bob.InitReply.StatusCode.Should().Be(200, "the limit is each user's");
        }

        await first.DisposeAsync();
        await WaitUntilAsync(() => server.Sessions.ForIdentity("IS00000000000000000000000000000001", "alice").Count == 1);
        await using var again = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, alice, Ct);
        again.InitReply.StatusCode.Should().Be(200, "a closed connection frees its place");
    }

    [Fact]
    public async Task Websockets_OverTheAddresssLimit_AreRefusedBeforeTheUpgrade_TokenOrNot()
    {
        await using var server = await TwilsockTestServer.StartAsync(o => { o.MaxConnectionsPerAddress = 2; o.InitTimeout = Never; });
        var withoutToken = await TwilsockTestClient.OpenAsync(server.TwilsockUri, Ct);
        await using var withToken = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, TwilsockTestServer.Token("alice", TimeSpan.FromHours(1)), Ct);

        var refused = async () => await TwilsockTestClient.OpenAsync(server.TwilsockUri, Ct);

        (await refused.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("429");
        await withoutToken.DisposeAsync();
        await WaitUntilAsync(() => server.Addresses.Count(IPAddress.Loopback) == 1);
        await using var again = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, TwilsockTestServer.Token("bob", TimeSpan.FromHours(1)), Ct);
        again.InitReply.StatusCode.Should().Be(200, "a closed websocket frees its place");
    }

    [Fact]
    public async Task UnreadableFrames_BeforeAnyToken_AreLoggedOnce_ThenCountedWhenTheConnectionEnds()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await TwilsockTestServer.StartAsync(logs: logs);
        const int Garbage = 2000;
        await using (var client = await TwilsockTestClient.OpenAsync(server.TwilsockUri, Ct))
        {
            for (var i = 0; i < Garbage; i++)
            {
                await client.SendRawAsync(Encoding.ASCII.GetBytes("not a twilsock frame " + i), Ct);
            }

            // Frames are handled in order: once init is answered, every unreadable frame before it has been.
            var init = await client.SendAsync(new System.Text.Json.Nodes.JsonObject { ["method"] = "init", ["token"] = TwilsockTestServer.Token("alice", TimeSpan.FromHours(1)) }, null, Ct);
            init.StatusCode.Should().Be(200, "unreadable frames do not end the connection");
        }

        await WaitUntilAsync(() => logs.Entries.Any(e => e.Message.Contains("more unreadable frames", StringComparison.Ordinal)));
        logs.Entries.Where(e => e.Message.StartsWith("twilsock frame dropped", StringComparison.Ordinal)).Should().ContainSingle("only the first is logged");
        logs.Entries.Where(e => e.Message.Contains("more unreadable frames", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Message.Should().Be($"twilsock connection of alice had {Garbage - 1} more unreadable frames, dropped");
    }

    /// <summary>Waits for the server to reach a state (a closed connection is noticed a moment after the client closed it).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(Bound);
        while (!condition())
        {
            await Task.Delay(20, bound.Token);
        }
    }
}
