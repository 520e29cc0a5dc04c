using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.ChatRooms.TestSupport;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using ConversationWebhook = Twilio.Rest.Conversations.V1.Conversation.WebhookResource;
using MessageResource = Twilio.Rest.Conversations.V1.Conversation.MessageResource;
using ParticipantResource = Twilio.Rest.Conversations.V1.Conversation.ParticipantResource;
using ServiceWebhook = Twilio.Rest.Conversations.V1.Service.Configuration.WebhookResource;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// Post-event webhooks, caused by Twilio's C# SDK over REST: configured through Twilio's own resources, each delivery
/// accepted by the SDK's <c>RequestValidator</c>, in the order of the changes, only when the request asked for them.
/// </summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task ServiceWebhook_GetsEveryEventOfRestChangesMadeWithTheHeader_SignedAndInOrder()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        var client = EmulatorClients.Twilio(server);
        string[] events =
        [
            "onConversationAdded", "onConversationUpdated", "onConversationRemoved", "onConversationStateUpdated", "onMessageAdded",
            "onMessageUpdated", "onMessageRemoved", "onParticipantAdded", "onParticipantUpdated", "onParticipantRemoved", "onUserAdded", "onUserUpdated",
        ];
        var config = await ServiceWebhook.UpdateAsync(server.DefaultServiceSid, postWebhookUrl: new Uri(receiver.Url), filters: [.. events], method: "POST", client: client);
        config.PostWebhookUrl.Should().Be(new Uri(receiver.Url));

        var on = ConversationResource.WebhookEnabledTypeEnum.True;
        var quiet = await ConversationResource.CreateAsync(friendlyName: "no header", client: client);
        var room = await ConversationResource.CreateAsync(friendlyName: "hooked", xTwilioWebhookEnabled: on, client: client);
        await MessageResource.CreateAsync(room.Sid, body: "unheard", client: client);
        var alice = await ParticipantResource.CreateAsync(room.Sid, identity: EmulatorClients.Unique("alice"), xTwilioWebhookEnabled: ParticipantResource.WebhookEnabledTypeEnum.True, client: client);
        var message = await MessageResource.CreateAsync(room.Sid, body: "heard", author: alice.Identity, xTwilioWebhookEnabled: MessageResource.WebhookEnabledTypeEnum.True, client: client);
        await MessageResource.UpdateAsync(room.Sid, message.Sid, body: "edited", xTwilioWebhookEnabled: MessageResource.WebhookEnabledTypeEnum.True, client: client);
        await MessageResource.DeleteAsync(room.Sid, message.Sid, xTwilioWebhookEnabled: MessageResource.WebhookEnabledTypeEnum.True, client: client);
        await ParticipantResource.UpdateAsync(room.Sid, alice.Sid, attributes: "{\"a\":1}", xTwilioWebhookEnabled: ParticipantResource.WebhookEnabledTypeEnum.True, client: client);
        await ConversationResource.UpdateAsync(room.Sid, state: ConversationResource.StateEnum.Inactive, xTwilioWebhookEnabled: on, client: client);
        await ParticipantResource.DeleteAsync(room.Sid, alice.Sid, xTwilioWebhookEnabled: ParticipantResource.WebhookEnabledTypeEnum.True, client: client);
        await ConversationResource.DeleteAsync(room.Sid, xTwilioWebhookEnabled: on, client: client);

        // The conversation's deliveries, in the order of its changes; the user's on a lane of their own.
        var seen = new List<ReceivedWebhook>();
        while (seen.LastOrDefault()?.EventType != "onConversationRemoved")
        {
            seen.Add(await receiver.NextAsync(w => w.Parameters.GetValueOrDefault("ConversationSid") is { } sid && sid == room.Sid, Ct));
        }

        seen.Select(w => w.EventType).Should().Equal("onConversationAdded", "onParticipantAdded", "onMessageAdded", "onMessageUpdated", "onMessageRemoved",
            "onParticipantUpdated", "onConversationUpdated", "onConversationStateUpdated", "onParticipantRemoved", "onConversationRemoved");
        var user = receiver.All.Where(w => w.EventType == "onUserAdded").Should().ContainSingle().Subject;
        user["Identity"].Should().Be(alice.Identity, "adding a participant of a new identity adds its user");
        receiver.All.Should().NotContain(w => w.Parameters.GetValueOrDefault("ConversationSid") == quiet.Sid, "REST without the header fires nothing");
        receiver.All.Should().OnlyContain(w => w.SignatureValid && w.Method == "POST");
        receiver.All.Should().OnlyContain(w => w["Source"] == "API" && w["AccountSid"] == server.Credentials.AccountSid && w["RetryCount"] == "0"
            && w["ChatServiceSid"] == server.DefaultServiceSid && !w.Parameters.ContainsKey("ClientIdentity"));
        receiver.All.Select(w => w.IdempotencyToken).Should().OnlyHaveUniqueItems();

        var added = seen.Single(w => w.EventType == "onMessageAdded");
        added["Body"].Should().Be("heard");
        added["Author"].Should().Be(alice.Identity);
        added["MessageSid"].Should().Be(message.Sid);
        added["Index"].Should().Be(message.Index!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        added["ParticipantSid"].Should().Be(alice.Sid);
        seen.Single(w => w.EventType == "onMessageUpdated")["Body"].Should().Be("edited");
        seen.Single(w => w.EventType == "onMessageRemoved").Parameters.Should().ContainKey("DateRemoved");
        var state = seen.Single(w => w.EventType == "onConversationStateUpdated");
        (state["StateFrom"], state["StateTo"]).Should().Be(("active", "inactive"));
        seen.Single(w => w.EventType == "onParticipantUpdated")["Attributes"].Should().Be("{\"a\":1}");
    }

    [Fact]
    public async Task ConversationScopedWebhook_WithGet_IsSignedOverItsQuery_AndOnlyForItsFilters()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        var client = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "scoped", client: client);
        var hook = await ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: receiver.Url + "?tenant=a b",
            configurationMethod: ConversationWebhook.MethodEnum.Get, configurationFilters: ["onMessageAdded"], client: client);
        hook.Sid.Should().StartWith("WH");
        (await ConversationWebhook.ReadAsync(room.Sid, client: client)).Select(w => w.Sid).Should().Equal(hook.Sid);

        var enabled = MessageResource.WebhookEnabledTypeEnum.True;
        var first = await MessageResource.CreateAsync(room.Sid, body: "one & two", xTwilioWebhookEnabled: enabled, client: client);
        await MessageResource.UpdateAsync(room.Sid, first.Sid, body: "not in the filters", xTwilioWebhookEnabled: enabled, client: client);
        var second = await MessageResource.CreateAsync(room.Sid, body: "three", xTwilioWebhookEnabled: enabled, client: client);

        var one = await receiver.NextAsync(_ => true, Ct);
        var two = await receiver.NextAsync(_ => true, Ct);
        (one.Method, one.SignatureValid, two.SignatureValid).Should().Be(("GET", true, true));
        (one["MessageSid"], one["Body"], two["MessageSid"]).Should().Be((first.Sid, "one & two", second.Sid), "onMessageUpdated is not in the filters");
        (one["WebhookSid"], one["WebhookType"], one["tenant"]).Should().Be((hook.Sid, "webhook", "a b"));

        await ConversationWebhook.DeleteAsync(room.Sid, hook.Sid, client: client);
        (await ConversationWebhook.ReadAsync(room.Sid, client: client)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("studio")]
    [InlineData("trigger")]
    public async Task UnservedTargets_AndRemoteUrls_AreRefusedWithTwilioErrors_AndChangeNothing(string target)
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "refusals", client: client);

        var unserved = () => ConversationWebhook.CreateAsync(room.Sid, target == "studio" ? ConversationWebhook.TargetEnum.Studio : ConversationWebhook.TargetEnum.Trigger,
            configurationFlowSid: "FW" + new string('0', 32), configurationTriggers: ["help"], client: client);
        (await unserved.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("not served by the emulator");
        var remote = () => ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: "http://example.com/hook", client: client);
        (await remote.Should().ThrowAsync<ApiException>()).Which.Code.Should().Be(20001);
        var remotePost = () => ServiceWebhook.UpdateAsync(server.DefaultServiceSid, postWebhookUrl: new Uri("http://10.1.2.3/hook"), client: client);
        (await remotePost.Should().ThrowAsync<ApiException>()).Which.Status.Should().Be(400);
        var badFilter = () => ServiceWebhook.UpdateAsync(server.DefaultServiceSid, postWebhookUrl: new Uri("http://127.0.0.1:9/"), filters: ["onNothing"], client: client);
        (await badFilter.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("onNothing");

        var badScopedFilter = () => ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: "http://127.0.0.1:9/",
            configurationFilters: ["onMessageAdd"], client: client);
        (await badScopedFilter.Should().ThrowAsync<ApiException>()).Which.Code.Should().Be(50365, "a scoped webhook is post-event only");
        var noUrl = () => ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, client: client);
        (await noUrl.Should().ThrowAsync<ApiException>()).Which.Code.Should().Be(50369);
        var tooLong = () => ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook,
            configurationUrl: "http://127.0.0.1:9/" + new string('a', 600), client: client);
        (await tooLong.Should().ThrowAsync<ApiException>()).Which.Code.Should().Be(50372);
        var missing = () => ConversationWebhook.FetchAsync(room.Sid, "WH" + new string('0', 32), client: client);
        var notFound = (await missing.Should().ThrowAsync<ApiException>()).Which;
        (notFound.Status, notFound.Code).Should().Be((404, 50360));

        (await ConversationWebhook.ReadAsync(room.Sid, client: client)).Should().BeEmpty();
        (await ServiceWebhook.FetchAsync(server.DefaultServiceSid, client: client)).PostWebhookUrl.Should().BeNull();
    }

    [Fact]
    public async Task ASixthConversationWebhook_IsRefusedWithTwilios50361()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "crowded", client: client);
        for (var i = 0; i < 5; i++)
        {
            await ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: $"http://127.0.0.1:9/{i}", client: client);
        }

        var sixth = () => ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: "http://127.0.0.1:9/6", client: client);
        (await sixth.Should().ThrowAsync<ApiException>()).Which.Code.Should().Be(50361);
        (await ConversationWebhook.ReadAsync(room.Sid, client: client)).Should().HaveCount(5);
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_DelaysNoChatAndNoOtherReceiver_AndItsLaneKeepsItsOrder()
    {
        // The emulator waits as long as the test holds the answer, so nothing here races its 5-second timeout.
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.WebhookTimeout = TimeSpan.FromMinutes(10), Ct);
        await using var stalled = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        await using var healthy = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        stalled.Hold = true;
        var client = EmulatorClients.Twilio(server);
        var slow = await ConversationResource.CreateAsync(friendlyName: "slow", client: client);
        var fast = await ConversationResource.CreateAsync(friendlyName: "fast", client: client);
        await ConversationWebhook.CreateAsync(slow.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: stalled.Url, configurationFilters: ["onMessageAdded"], client: client);
        await ConversationWebhook.CreateAsync(fast.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: healthy.Url, configurationFilters: ["onMessageAdded"], client: client);
        var enabled = MessageResource.WebhookEnabledTypeEnum.True;

        await MessageResource.CreateAsync(slow.Sid, body: "s1", xTwilioWebhookEnabled: enabled, client: client);
        (await stalled.NextAsync(_ => true, Ct))["Body"].Should().Be("s1");

        // s1's delivery hangs. The chat goes on: more messages in its conversation are written and read back, and
        // another conversation's receiver gets its webhook, all while s1 is still unanswered.
        await MessageResource.CreateAsync(slow.Sid, body: "s2", xTwilioWebhookEnabled: enabled, client: client);
        await MessageResource.CreateAsync(fast.Sid, body: "f1", xTwilioWebhookEnabled: enabled, client: client);
        (await MessageResource.ReadAsync(slow.Sid, client: client)).Select(m => m.Body).Should().Equal("s1", "s2");
        (await healthy.NextAsync(_ => true, Ct))["Body"].Should().Be("f1");
        stalled.All.Should().ContainSingle("s2 waits behind s1 on its lane");

        stalled.Release();
        (await stalled.NextAsync(_ => true, Ct))["Body"].Should().Be("s2");
        stalled.All.Concat(healthy.All).Should().OnlyContain(w => w.SignatureValid);
    }

    [Fact]
    public async Task Deliveries_AreListedForDevelopers_WithEventUrlStatusAttemptPayloadAndResponse()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        var client = EmulatorClients.Twilio(server);
        await Twilio.Rest.Conversations.V1.Configuration.WebhookResource.UpdateAsync(postWebhookUrl: receiver.Url, filters: ["onConversationAdded"],
            method: "POST", target: Twilio.Rest.Conversations.V1.Configuration.WebhookResource.TargetEnum.Webhook, client: client);
        var room = await ConversationResource.CreateAsync(friendlyName: "listed", xTwilioWebhookEnabled: ConversationResource.WebhookEnabledTypeEnum.True, client: client);
        await receiver.NextAsync(_ => true, Ct);

        using var http = EmulatorClients.Raw(server);
        JsonElement entry = default;
        while (entry.ValueKind == JsonValueKind.Undefined)
        {
            // The receiver has it; the entry follows once the emulator has read the answer and recorded it done.
            var list = await http.GetFromJsonAsync<JsonElement>("webhooks/deliveries", Ct);
            entry = list.GetProperty("deliveries").EnumerateArray().FirstOrDefault();
        }

        entry.GetProperty("event_type").GetString().Should().Be("onConversationAdded");
        entry.GetProperty("url").GetString().Should().Be(receiver.Url);
        (entry.GetProperty("status").GetInt32(), entry.GetProperty("attempt").GetInt32(), entry.GetProperty("outcome").GetString()).Should().Be((200, 1, "delivered"));
        entry.GetProperty("payload").GetProperty("ConversationSid").GetString().Should().Be(room.Sid);
        entry.GetProperty("duration_ms").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        entry.TryGetProperty("response", out _).Should().BeTrue();

        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress };
        (await anonymous.GetAsync("webhooks/deliveries", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ARedirectIsNotFollowed_AndALongAnswerIsReadOnlyUpToTheCap()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var redirecting = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        await using var elsewhere = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        await using var talkative = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        redirecting.RedirectTo = elsewhere.Url;
        var longAnswer = new string('x', 1024 * 1024);
        talkative.Answer = _ => (200, longAnswer);
        var client = EmulatorClients.Twilio(server);
        var first = await ConversationResource.CreateAsync(friendlyName: "redirected", client: client);
        var second = await ConversationResource.CreateAsync(friendlyName: "talkative", client: client);
        await ConversationWebhook.CreateAsync(first.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: redirecting.Url, configurationFilters: ["onMessageAdded"], client: client);
        await ConversationWebhook.CreateAsync(second.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: talkative.Url, configurationFilters: ["onMessageAdded"], client: client);
        var enabled = MessageResource.WebhookEnabledTypeEnum.True;

        await MessageResource.CreateAsync(first.Sid, body: "r1", xTwilioWebhookEnabled: enabled, client: client);
        await MessageResource.CreateAsync(first.Sid, body: "r2", xTwilioWebhookEnabled: enabled, client: client);
        await MessageResource.CreateAsync(second.Sid, body: "t1", xTwilioWebhookEnabled: enabled, client: client);
        (await redirecting.NextAsync(w => w["Body"] == "r1", Ct)).SignatureValid.Should().BeTrue();
        await redirecting.NextAsync(w => w["Body"] == "r2", Ct);   // r1's delivery ended (it was not followed) before r2 left
        await talkative.NextAsync(_ => true, Ct);

        using var http = EmulatorClients.Raw(server);
        List<JsonElement> done = [];
        while (done.Count < 3)
        {
            var list = await http.GetFromJsonAsync<JsonElement>("webhooks/deliveries", Ct);
            done = [.. list.GetProperty("deliveries").EnumerateArray().Where(d => d.GetProperty("outcome").GetString() != "retrying")];
        }

        var r1 = done.Single(d => d.GetProperty("payload").GetProperty("Body").GetString() == "r1");
        (r1.GetProperty("status").GetInt32(), r1.GetProperty("outcome").GetString()).Should().Be((302, "failed"));
        var t1 = done.Single(d => d.GetProperty("payload").GetProperty("Body").GetString() == "t1");
        t1.GetProperty("outcome").GetString().Should().Be("delivered");
        t1.GetProperty("response").GetString()!.Length.Should().Be(16 * 1024, "an answer is read up to 16 KB");
        elsewhere.All.Should().BeEmpty("a redirect is never followed");
    }

    [Fact]
    public async Task ReplayAfter_SendsTheMessagesFromThatIndexToTheNewWebhook_BeforeAnyNewOne()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var bot = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        var client = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "history", client: client);
        foreach (var body in new[] { "m0", "m1", "m2" })
        {
            await MessageResource.CreateAsync(room.Sid, body: body, client: client);   // no header: nothing fires
        }

        var hook = await ConversationWebhook.CreateAsync(room.Sid, ConversationWebhook.TargetEnum.Webhook, configurationUrl: bot.Url,
            configurationFilters: ["onMessageAdded"], configurationReplayAfter: 1, client: client);
        await MessageResource.CreateAsync(room.Sid, body: "m3", xTwilioWebhookEnabled: MessageResource.WebhookEnabledTypeEnum.True, client: client);

        var received = new List<ReceivedWebhook>();
        while (received.Count < 3)
        {
            received.Add(await bot.NextAsync(_ => true, Ct));
        }

        received.Select(w => (w["Body"], w["Index"])).Should().Equal(("m1", "1"), ("m2", "2"), ("m3", "3"));
        received.Should().OnlyContain(w => w.SignatureValid && w["EventType"] == "onMessageAdded" && w["WebhookSid"] == hook.Sid);
    }
}
