using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace ClientProtocol.Tests;

/// <summary>
/// One connection's outbox over a real websocket on loopback: frames are sent on whichever thread queues them when
/// nothing else is being sent, and from a send's continuation when the socket makes it wait, so many threads queueing
/// at once must still give every frame once, in queue order.
/// </summary>
public sealed class TwilsockOutboxTests
{
    private const int Threads = 8;
    private const int FramesPerThread = 500;

    // Frames of 2 KB through 64 KiB socket buffers when read only once all are queued: most sends must wait for the reader.
    private static readonly string Padding = new('x', 2048);

    /// <param name="readWhileQueueing">
    /// True: the client reads all along, so most sends complete at once and the queueing threads take turns sending;
    /// false: it reads only once all are queued, so most sends wait and the rest goes on from their continuations.
    /// </param>
    [Theory(Timeout = 120_000)] // a frame left unsent would leave the test waiting for the close
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAllAsync_FramesQueuedFromManyThreadsAtOnce_ArriveOnceEachAndInEachThreadsOrder(bool readWhileQueueing)
    {
        var (server, client) = await ConnectedPairAsync();
        using (server)
        using (client)
        {
            var outbox = new TwilsockOutbox(server, pushedLimit: Threads * FramesPerThread);
            var reading = readWhileQueueing ? ReadAllAsync(client, TestContext.Current.CancellationToken) : null;
            var padding = readWhileQueueing ? "" : Padding;
            using var start = new Barrier(Threads);
            var queueing = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < FramesPerThread; i++)
                {
                    var queued = t % 2 == 0
                        ? outbox.TryQueue(new TwilsockNotification("test", new JsonObject { ["t"] = t, ["i"] = i, ["pad"] = padding }), i, pushed: true)
                        : outbox.TryQueue(TwilsockFrame.Create(new JsonObject { ["method"] = "reply", ["id"] = "x" }, new JsonObject { ["t"] = t, ["i"] = i, ["pad"] = padding }).Encode());
                    queued.Should().BeTrue();
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(queueing);
            outbox.Complete();
            reading ??= ReadAllAsync(client, TestContext.Current.CancellationToken);
            await outbox.SendAllAsync(TestContext.Current.CancellationToken);

            var received = await reading;

            received.Should().HaveCount(Threads * FramesPerThread);
            foreach (var group in received.GroupBy(r => r.Thread))
            {
                group.Select(r => r.Index).Should().Equal(Enumerable.Range(0, FramesPerThread), $"thread {group.Key}'s frames keep their order");
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task SendAllAsync_ClientGone_RefusesMoreFramesAndEndsWithTheSocketsError()
    {
        var (server, client) = await ConnectedPairAsync();
        using (server)
        {
            var outbox = new TwilsockOutbox(server, pushedLimit: 1_024);
            client.Abort(); // its end of the connection is gone; the server learns it from a failed send

            var refused = false;
            for (var i = 0; i < 10_000 && !refused; i++)
            {
                refused = !outbox.TryQueue(new TwilsockNotification("test", new JsonObject { ["i"] = i }), i, pushed: true);
                await Task.Yield();
            }

            refused.Should().BeTrue("a failed send ends the outbox, so nothing more is queued");
            outbox.IsComplete.Should().BeTrue();
            var sending = () => outbox.SendAllAsync(TestContext.Current.CancellationToken);
            await sending.Should().ThrowAsync<Exception>();
        }
    }

    /// <summary>The server's and the client's end of one websocket over a real TCP connection on loopback.</summary>
    private static async Task<(WebSocket Server, WebSocket Client)> ConnectedPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connecting = new TcpClient { ReceiveBufferSize = 64 * 1024 };
        await connecting.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var accepted = await listener.AcceptTcpClientAsync();
        accepted.SendBufferSize = 64 * 1024;
        var server = WebSocket.CreateFromStream(accepted.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var client = WebSocket.CreateFromStream(connecting.GetStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        return (server, client);
    }

    /// <summary>Every frame until the server closes its output, as (thread, index) from its JSON payload.</summary>
    private static async Task<List<(int Thread, int Index)>> ReadAllAsync(WebSocket client, CancellationToken cancellationToken)
    {
        var received = new List<(int, int)>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return received;
            }

            TwilsockFrame.TryParse(buffer.AsSpan(0, length), out var frame, out var error).Should().BeTrue(error);
            var payload = JsonNode.Parse(frame!.Payload.Span)!;
            received.Add((payload["t"]?.GetValue<int>() ?? -1, payload["i"]!.GetValue<int>()));
        }
    }
}
