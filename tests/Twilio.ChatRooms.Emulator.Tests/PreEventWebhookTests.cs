using Twilio.ChatRooms.TestSupport;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using MessageResource = Twilio.Rest.Conversations.V1.Conversation.MessageResource;
using ServiceWebhook = Twilio.Rest.Conversations.V1.Service.Configuration.WebhookResource;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// Pre-event webhooks, asked before a change and outside the store's lock: a refusal stops the change (the caller gets
/// Twilio's error, nothing is stored), a JSON answer rewrites it, and a back end that cannot be reached does not stop it.
/// </summary>
public sealed class PreEventWebhookTests
{
    [Fact]
    public async Task PreEventWebhook_RefusesOrRewritesRestChanges_MadeWithTheHeader()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        receiver.Answer = w => w.Parameters.GetValueOrDefault("Body") switch
        {
            { } body when body.Contains("blocked", StringComparison.Ordinal) => (403, "not here"),
            "rewrite me" => (200, "{\"body\": \"[rewritten]\", \"attributes\": {\"moderated\": true}}"),
            _ => w.Parameters.GetValueOrDefault("FriendlyName") == "rename me" ? (200, "{\"friendly_name\": \"renamed by the hook\"}") : (200, null),
        };
        var client = EmulatorClients.Twilio(server);
        await ServiceWebhook.UpdateAsync(server.DefaultServiceSid, preWebhookUrl: new Uri(receiver.Url),
            filters: ["onMessageAdd", "onConversationUpdate", "onMessageAdded"], client: client);
        var room = await ConversationResource.CreateAsync(friendlyName: "moderated", client: client);
        var enabled = MessageResource.WebhookEnabledTypeEnum.True;

        var refused = () => MessageResource.CreateAsync(room.Sid, body: "a blocked word", author: "alice", xTwilioWebhookEnabled: enabled, client: client);
        var error = (await refused.Should().ThrowAsync<ApiException>()).Which;
        (error.Status, error.Code).Should().Be((403, 20403));
        error.Message.Should().Contain("onMessageAdd");
        var rewritten = await MessageResource.CreateAsync(room.Sid, body: "rewrite me", author: "alice", xTwilioWebhookEnabled: enabled, client: client);
        var unasked = await MessageResource.CreateAsync(room.Sid, body: "blocked, but not asked", client: client);
        var renamed = await ConversationResource.UpdateAsync(room.Sid, friendlyName: "rename me",
            xTwilioWebhookEnabled: ConversationResource.WebhookEnabledTypeEnum.True, client: client);

        (rewritten.Body, rewritten.Attributes).Should().Be(("[rewritten]", "{\"moderated\": true}"), "the attributes as the hook wrote them");
        renamed.FriendlyName.Should().Be("renamed by the hook");
        (await MessageResource.ReadAsync(room.Sid, client: client)).Select(m => m.Body).Should().Equal("[rewritten]", "blocked, but not asked");
        unasked.Body.Should().Be("blocked, but not asked", "REST without X-Twilio-Webhook-Enabled asks no webhook");

        var asked = receiver.All;
        asked.Select(w => w.EventType).Should().Equal("onMessageAdd", "onMessageAdd", "onConversationUpdate");
        asked.Should().OnlyContain(w => w.SignatureValid && w["Source"] == "API" && w["ConversationSid"] == room.Sid);
        (asked[0]["Body"], asked[0]["Author"]).Should().Be(("a blocked word", "alice"));
    }

    [Fact]
    public async Task PreEventWebhook_ThatCannotBeReached_LetsTheChangeThrough()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();   // nothing listens there now: the connection is refused at once
        await ServiceWebhook.UpdateAsync(server.DefaultServiceSid, preWebhookUrl: new Uri($"http://127.0.0.1:{port}/pre"), filters: ["onMessageAdd"], client: client);
        var room = await ConversationResource.CreateAsync(friendlyName: "unreachable", client: client);

        var message = await MessageResource.CreateAsync(room.Sid, body: "still sent", xTwilioWebhookEnabled: MessageResource.WebhookEnabledTypeEnum.True, client: client);

        message.Body.Should().Be("still sent");
        using var http = EmulatorClients.Raw(server);
        var deliveries = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("webhooks/deliveries", Ct)).RootElement.GetProperty("deliveries");
        deliveries.EnumerateArray().Should().ContainSingle(d => d.GetProperty("event_type").GetString() == "onMessageAdd"
            && d.GetProperty("outcome").GetString() == "unanswered, allowed");
    }
}
