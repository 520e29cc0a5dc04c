using System.Diagnostics;
using Twilio.Rest.Conversations.V1;
using ServiceWebhook = Twilio.Rest.Conversations.V1.Service.Configuration.WebhookResource;

namespace Twilio.ChatRooms.Emulator.Tests.Telemetry;

/// <summary>
/// A webhook delivery continues the trace of the write that caused it: its span is a child of the REST request's, and
/// the request it sends carries that trace in <c>traceparent</c> to the receiver (a host, whose span continues it).
/// </summary>
public sealed class WebhookTraceTests
{
    [Fact]
    public async Task WebhookDelivery_IsAChildOfTheWrite_AndSendsItsTraceToTheReceiver()
    {
        using var spans = new EmulatorSpans();
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        var client = EmulatorClients.Twilio(server);
        await ServiceWebhook.UpdateAsync(server.DefaultServiceSid, postWebhookUrl: new Uri(receiver.Url), filters: ["onConversationAdded"], method: "POST", client: client);

        var room = await ConversationResource.CreateAsync(friendlyName: "traced", xTwilioWebhookEnabled: ConversationResource.WebhookEnabledTypeEnum.True, client: client);
        var received = await receiver.NextAsync(w => w.Parameters.GetValueOrDefault("ConversationSid") == room.Sid, Ct);

        bool IsDelivery(Activity s) => s.DisplayName == "webhook onConversationAdded" && (string?)s.GetTagItem("messaging.destination.name") == room.Sid;
        var delivery = (await spans.WaitForAsync(all => all.Any(IsDelivery))).Single(IsDelivery);

        var write = spans.Ended().Should().ContainSingle(s => s.SpanId == delivery.ParentSpanId, "the delivery's parent is the write's span").Subject;

        write.Kind.Should().Be(ActivityKind.Server);
        write.GetTagItem("http.route").Should().Be("/v1/Conversations");
        delivery.Kind.Should().Be(ActivityKind.Client);
        delivery.GetTagItem("chatrooms.webhook.outcome").Should().Be("delivered");
        delivery.GetTagItem("http.response.status_code").Should().Be(200);
        received.TraceParent.Should().NotBeNull().And.Contain(delivery.TraceId.ToHexString(), "the receiver is told the trace");
        delivery.TagObjects.Should().NotContain(t => t.Key.StartsWith("url", StringComparison.Ordinal), "a webhook's URL may hold a secret");
    }
}
