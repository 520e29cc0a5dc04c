using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace ClientProtocol.Tests;

/// <summary>
/// A connection whose client stops reading: its queue fills and the server drops it, while another connection of the
/// same user, sent every same notification, receives all of them. Raw websockets, so that one of them can stop reading.
/// </summary>
public sealed class TwilsockBackpressureTests
{
    private const string Service = "IS00000000000000000000000000000001";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Notify_ClientStopsReading_IsDroppedWhileTheOtherReceivesEveryNotification()
    {
        await using var server = await TwilsockTestServer.StartAsync(o => o.MaxQueuedFrames = 8);
        var token = TwilsockTestServer.Token("alice", TimeSpan.FromHours(1));
        using var staller = await ConnectAsync(server.TwilsockUri, token);
        using var reader = await ConnectAsync(server.TwilsockUri, token);
        server.Sessions.ForIdentity(Service, "alice").Should().HaveCount(2);

        // Each request pushes a 16 KB notification to both connections; the staller reads none of them. Its socket
        // buffers take some, then its queue of 8, then it is dropped. The bound only ends a run that never drops it.
        var body = new JsonObject { ["text"] = new string('x', 16 * 1024) };
        int sent = 0, received = 0;
        while (server.Sessions.ForIdentity(Service, "alice").Count == 2 && sent < 10_000)
        {
            sent++;
            await SendAsync(reader, Request($"RQ{sent}", "/chat/Notify"), body);
            for (var replied = false; !replied;)
            {
                var frame = await ReceiveAsync(reader);
                received += frame.Method == "notification" ? 1 : 0;
                replied = frame.Method == "reply" && frame.Id == $"RQ{sent}";
            }
        }

        server.Sessions.ForIdentity(Service, "alice").Should().ContainSingle("the connection that stopped reading is dropped");
        received.Should().Be(sent, "the connection that reads is sent every notification, in order, before each reply");

        // The staller, reading again, gets what its socket buffered and then finds the connection gone.
        var stallerReceived = 0;
        var dropped = false;
        try
        {
            while (stallerReceived <= sent)
            {
                if ((await ReceiveAsync(staller)).Method == "notification")
                {
                    stallerReceived++;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or EndOfStreamException)
        {
            dropped = true;
        }

        dropped.Should().BeTrue("the server aborted the connection it dropped");
        stallerReceived.Should().BeLessThan(sent);
    }

    private static JsonObject Request(string id, string path) => new()
    {
        ["method"] = "message",
        ["id"] = id,
        ["http_request"] = new JsonObject { ["host"] = "emulator.test", ["path"] = path, ["method"] = "POST", ["params"] = new JsonObject() },
    };

    /// <summary>A client with a 4 KiB socket receive buffer, so that what it does not read backs up into the server soon.</summary>
    private static async Task<ClientWebSocket> ConnectAsync(Uri uri, string token)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new ClientWebSocket();
        await client.ConnectAsync(uri, new HttpMessageInvoker(handler), Ct);
        await SendAsync(client, new JsonObject { ["method"] = "init", ["id"] = "RQinit", ["token"] = token, ["metadata"] = new JsonObject() });
        var reply = await ReceiveAsync(client);
        reply.Id.Should().Be("RQinit");
        reply.Header["status"]!["code"]!.GetValue<int>().Should().Be(200);
        return client;
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject header, JsonNode? payload = null) =>
        socket.SendAsync(TwilsockFrame.Create(header, payload).Encode(), WebSocketMessageType.Binary, endOfMessage: true, Ct);

    private static async Task<TwilsockFrame> ReceiveAsync(ClientWebSocket socket)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, Ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new EndOfStreamException("closed");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        TwilsockFrame.TryParse(message.ToArray(), out var frame, out var error).Should().BeTrue(error);
        return frame!;
    }
}
