using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// The baseline: the least a server speaking the same framing can do. <c>init</c> gets its reply (no token check);
/// a subscription request puts the socket in the room it names; every message frame is answered and pushed, as one
/// <c>notification</c> encoded once, to the room's sockets, each through its own unbounded queue. No state, no
/// checks, no storage.
/// </summary>
internal static class MinimalBroadcaster
{
    public const string ServiceSid = "IS-minimal";

    public static async Task<(Uri Address, Func<ValueTask> Stop)> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        var rooms = new ConcurrentDictionary<string, Room>(StringComparer.Ordinal);
        app.Map("/twilsock", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await new Connection(socket, rooms).RunAsync(context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (new Uri(address.TrimEnd('/')), app.DisposeAsync);
    }

    /// <summary>A room's sockets; copied on write, read without a lock on every message.</summary>
    private sealed class Room
    {
        private readonly Lock _gate = new();

        public Connection[] Members { get; private set; } = [];

        public void Add(Connection connection)
        {
            lock (_gate)
            {
                Members = [.. Members, connection];
            }
        }

        public void Remove(Connection connection)
        {
            lock (_gate)
            {
                Members = Members.Where(m => m != connection).ToArray();
            }
        }
    }

    private sealed class Connection(WebSocket socket, ConcurrentDictionary<string, Room> rooms)
    {
        private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        private readonly List<Room> _joined = [];

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var writer = WriteLoopAsync(cancellationToken);
            var buffer = new byte[4096];
            using var message = new MemoryStream();
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    message.Write(buffer, 0, result.Count);
                    if (result.EndOfMessage)
                    {
                        Handle(message.GetBuffer().AsSpan(0, (int)message.Length));
                        message.SetLength(0);
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
            finally
            {
                foreach (var room in _joined)
                {
                    room.Remove(this);
                }

                _outgoing.Writer.TryComplete();
                await writer;
            }
        }

        private void Handle(ReadOnlySpan<byte> frame)
        {
            if (!TwilsockWire.TrySplit(frame, out var headerBytes, out var payload) || JsonNode.Parse(headerBytes) is not JsonObject header)
            {
                return;
            }

            var id = header["id"]?.GetValue<string>() ?? "";
            var method = header["method"]?.GetValue<string>();
            if (method == "init")
            {
                _outgoing.Writer.TryWrite(TwilsockWire.Reply(id));
                return;
            }

            if (method != "message" || header["http_request"]?["path"]?.GetValue<string>() is not { } path)
            {
                return;
            }

            if (path.EndsWith("/v4/Subscriptions", StringComparison.Ordinal))
            {
                foreach (var request in JsonNode.Parse(payload)?["requests"]?.AsArray() ?? [])
                {
                    var room = rooms.GetOrAdd(request!["object_sid"]!.GetValue<string>(), _ => new Room());
                    room.Add(this);
                    _joined.Add(room);
                }

                _outgoing.Writer.TryWrite(TwilsockWire.Reply(id, 200, "{}"u8));
                return;
            }

            // .../Conversations/{room}/Messages: the body goes, as sent, to everyone subscribed to {room}.messages.
            var segments = path.Split('/');
            var at = Array.IndexOf(segments, "Conversations");
            _outgoing.Writer.TryWrite(TwilsockWire.Reply(id, at > 0 && at + 1 < segments.Length ? 200 : 404, "{}"u8));
            if (at > 0 && at + 1 < segments.Length && rooms.TryGetValue(segments[at + 1] + ".messages", out var target))
            {
                var notification = Notification(segments[at + 1] + ".messages", payload);
                foreach (var member in target.Members)
                {
                    member._outgoing.Writer.TryWrite(notification);
                }
            }
        }

        private static byte[] Notification(string list, ReadOnlySpan<byte> message)
        {
            var prefix = Encoding.UTF8.GetBytes($$"""{"event_type":"list_item_added","event":{"list_sid":"{{list}}","item_data":""");
            var payload = new byte[prefix.Length + message.Length + 2];
            prefix.CopyTo(payload, 0);
            message.CopyTo(payload.AsSpan(prefix.Length));
            "}}"u8.CopyTo(payload.AsSpan(prefix.Length + message.Length));
            return TwilsockWire.Encode(new JsonObject { ["method"] = "notification", ["id"] = "TN", ["message_type"] = "twilio.sync.event" }, payload);
        }

        private async Task WriteLoopAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var frame in _outgoing.Reader.ReadAllAsync(cancellationToken))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                socket.Abort();
            }
        }
    }
}
