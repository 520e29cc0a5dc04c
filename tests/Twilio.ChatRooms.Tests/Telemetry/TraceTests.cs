using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Twilio.ChatRooms.Tests.Telemetry;

/// <summary>
/// One message's path as one trace: the library's send and its Twilio call, the emulator's span of the REST request
/// (continued from the traceparent the library's HTTP client sent), and the fan-out of the event to a subscribed
/// twilsock client, read with OpenTelemetry's in-memory exporter. No span carries a secret, a token or the body.
/// </summary>
public sealed class TraceTests
{
    [Fact]
    public async Task SendAsync_ThroughTheLibrary_IsOneTrace_FromTheLibraryThroughTheEmulatorToTheSubscriber()
    {
        var spans = new Exported<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Twilio.ChatRooms", "Twilio.ChatRooms.Emulator", "System.Net.Http") // .NET's HTTP client spans, as the web host records them
            .AddInMemoryExporter(spans)
            .Build();
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var alice = "alice-" + Guid.NewGuid().ToString("N")[..8];
        var room = await chat.RoomWithAsync("traced-" + Guid.NewGuid().ToString("N")[..8], alice);
        var token = await chat.TokenAsync(alice);
        await using var client = await TwilsockTestClient.ConnectAsync(chat.Server.TwilsockUri, token, Ct);
        var messages = room.Sid + ".messages";
        (await client.SubscribeAsync([messages], Ct))[messages].Should().Be("subscription_established");
        var body = "a body that must not be traced " + Guid.NewGuid().ToString("N");

        var sent = await chat.Library.GetRequiredService<IChatRoomMessenger>().SendAsync(room.Name, body, author: alice, cancellationToken: Ct);
        await Twilsock.WaitForEventAsync(client, "list_item_added", messages, e => (int?)e["item_index"] == sent.Index, Ct);

        var send = Single(spans, s => s.Source.Name == "Twilio.ChatRooms" && s.DisplayName == $"send {room.Sid}");
        var call = Single(spans, s => s.Source.Name == "Twilio.ChatRooms" && s.TraceId == send.TraceId && s.Kind == ActivityKind.Client
            && s.DisplayName == "POST /v1/Services/{id}/Conversations/{id}/Messages");
        var rest = Single(spans, s => s.Source.Name == "Twilio.ChatRooms.Emulator" && s.Kind == ActivityKind.Server
            && (string?)s.GetTagItem("http.route") == "/v1/Services/{service}/Conversations/{conversation}/Messages" && s.TraceId == send.TraceId);
        var fanout = await EventuallySingleAsync(spans, s => s.Source.Name == "Twilio.ChatRooms.Emulator" && s.Kind == ActivityKind.Producer
            && (string?)s.GetTagItem("messaging.operation.name") == "list_item_added" && (string?)s.GetTagItem("messaging.destination.name") == room.Sid);

        call.ParentSpanId.Should().Be(send.SpanId, "the Twilio call is part of the send");
        var http = Single(spans, s => s.Source.Name == "System.Net.Http" && s.SpanId == rest.ParentSpanId);
        http.ParentSpanId.Should().Be(call.SpanId, "the HTTP request is the Twilio call's, and the emulator continues the traceparent it sent");
        fanout.TraceId.Should().Be(send.TraceId, "the fan-out to the subscriber is in the same trace");
        fanout.ParentSpanId.Should().Be(rest.SpanId, "the fan-out is a child of the write that caused it");
        fanout.GetTagItem("messaging.system").Should().Be("twilio_conversations");
        fanout.GetTagItem("chatrooms.subscribers").Should().Be(1);
        foreach (var span in new[] { send, call, rest })
        {
            span.GetTagItem("messaging.destination.name").Should().Be(room.Sid);
            span.GetTagItem("messaging.operation.type").Should().Be("send");
        }

        // Nothing secret in any span exported, this test's or any other's running beside it.
        string[] secrets = [body, token, chat.Server.Credentials.AuthToken, chat.Server.Credentials.ApiKeySecret];
        {
            foreach (var span in spans.Snapshot())
            {
                var text = span.DisplayName + " " + string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    + " " + string.Join(" ", span.Baggage.Select(b => $"{b.Key}={b.Value}")) + " " + span.TraceStateString;
                foreach (var secret in secrets)
                {
                    text.Should().NotContain(secret, $"span {span.DisplayName} must not carry a secret or a message body");
                }

                text.Should().NotContain("Basic ", "no auth header in a span");
            }
        }
    }

    private static Activity Single(Exported<Activity> spans, Func<Activity, bool> match) =>
        spans.Snapshot().Where(match).Should().ContainSingle().Subject;

    /// <summary>A span that ends a moment after the client got the event it describes (the lane ends it once every subscriber's frame is queued).</summary>
    private static async Task<Activity> EventuallySingleAsync(Exported<Activity> spans, Func<Activity, bool> match)
    {
        while (!spans.Snapshot().Any(match))
        {
            await Task.Delay(10, Ct);
        }

        return Single(spans, match);
    }
}
