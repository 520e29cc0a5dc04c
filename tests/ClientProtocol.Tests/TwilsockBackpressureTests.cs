using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.TestSupport;

namespace ClientProtocol.Tests;

/// <summary>
/// A connection whose client stops reading: its queue fills and the server drops it, while another connection of the
/// same user, sent every same notification, receives all of them. The shared test client, with a small socket receive
/// buffer and its reading paused for the one that stalls.
/// </summary>
public sealed class TwilsockBackpressureTests
{
    private const string Service = "IS00000000000000000000000000000001";
    [Fact]
    public async Task Notify_ClientStopsReading_IsDroppedWhileTheOtherReceivesEveryNotification()
    {
        await using var server = await TwilsockTestServer.StartAsync(o => o.MaxQueuedFrames = 8);
        var token = TwilsockTestServer.Token("alice", TimeSpan.FromHours(1));
        await using var staller = await ConnectAsync(server.TwilsockUri, token);
        await using var reader = await ConnectAsync(server.TwilsockUri, token);
        server.Sessions.ForIdentity(Service, "alice").Should().HaveCount(2);
        staller.PauseReading();

        // Each request pushes a 16 KB notification to both connections; the staller reads none of them. Its socket
        // buffers take some, then its queue of 8, then it is dropped. The bound only ends a run that never drops it.
        var body = new JsonObject { ["text"] = new string('x', 16 * 1024) };
        var sent = 0;
        while (server.Sessions.ForIdentity(Service, "alice").Count == 2 && sent < 10_000)
        {
            sent++;
            var reply = await reader.RequestAsync("POST", "/chat/Notify", body, Ct);
            reply.HttpStatus.Should().Be(200);
        }

        server.Sessions.ForIdentity(Service, "alice").Should().ContainSingle("the connection that stopped reading is dropped");

        // What the staller was sent before it was dropped: its queue of 8, and what the buffers below took, which the cap
        // on the socket's kernel send buffer keeps to a few hundred KiB (about 21 frames of 16 KB in all). Uncapped,
        // Linux lets that buffer grow to 4 MiB, more than 256 such frames, and the bound would be seen that much later.
        sent.Should().BeLessThan(64, "the socket's send buffer is capped at {0} bytes", TwilsockEndpoint.SocketSendBufferBytes);
        // The client dispatches frames in the order they arrive, so every notification sent before a reply is recorded.
        reader.Notifications.Should().HaveCount(sent, "the connection that reads is sent every notification, in order, before each reply");

        // The staller, reading again, gets what its socket buffered and then finds the connection gone.
        staller.ResumeReading();
        await staller.Closed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        staller.Notifications.Count.Should().BeLessThan(sent);
    }

    /// <summary>A client with a 4 KiB socket receive buffer, so that what it does not read backs up into the server soon.</summary>
    private static async Task<TwilsockTestClient> ConnectAsync(Uri uri, string token)
    {
        var client = await TwilsockTestClient.ConnectAsync(uri, token, socketReceiveBufferSize: 4096, Ct);
        client.InitReply.StatusCode.Should().Be(200);
        return client;
    }
}
