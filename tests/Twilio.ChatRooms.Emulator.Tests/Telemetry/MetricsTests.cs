using System.Text.Json.Nodes;
using Twilio.Rest.Conversations.V1;
using ParticipantResource = Twilio.Rest.Conversations.V1.Conversation.ParticipantResource;
using ServiceWebhook = Twilio.Rest.Conversations.V1.Service.Configuration.WebhookResource;

namespace Twilio.ChatRooms.Emulator.Tests.Telemetry;

/// <summary>Runs alone: the counters are the process's, and other tests refuse requests and deliver webhooks too.</summary>
[CollectionDefinition(nameof(MetricsRunAlone), DisableParallelization = true)]
public sealed class MetricsRunAlone;

/// <summary>
/// The emulator's metrics, read with OpenTelemetry's in-memory exporter while real clients use it: connections and
/// send queues per service, refusals, webhook deliveries and the store's commit time.
/// </summary>
[Collection(nameof(MetricsRunAlone))]
public sealed class MetricsTests
{
    private const string Connections = "chatrooms.emulator.twilsock.connections";
    private const string QueuedFrames = "chatrooms.emulator.twilsock.queue.frames";
    private const string DeepestQueue = "chatrooms.emulator.twilsock.queue.max_depth";

    [Fact]
    public async Task Connections_AndSendQueues_FollowTheClients_PerService()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var metrics = new EmulatorMetrics();
        var service = ("chatrooms.service.sid", (object)server.DefaultServiceSid);
        var rest = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "metered", client: rest);
        var alice = EmulatorClients.Unique("alice");
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: rest);
        metrics.Value(Connections, service).Should().BeNull("nobody connected to this emulator yet");

        var reader = await Twilsock.ConnectAsync(server, alice, Ct);
        metrics.Value(Connections, service).Should().Be(1);
        var staller = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, Twilsock.Token(server, alice), socketReceiveBufferSize: 4096, Ct);
        metrics.Value(Connections, service).Should().Be(2);
        var messages = room.Sid + ".messages";
        (await staller.SubscribeAsync([messages], Ct))[messages].Should().Be("subscription_established");

        // The staller stops reading: once the sockets' buffers are full, the events sent to it wait in its queue.
        staller.PauseReading();
        using var http = EmulatorClients.Raw(server);
        var body = new string('x', 30 * 1024);
        while (metrics.Value(QueuedFrames, service) is null or 0)
        {
            using var posted = await http.PostAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages"),
                EmulatorClients.Form(("Body", body)), Ct);
            posted.EnsureSuccessStatusCode();
        }

        metrics.Value(DeepestQueue, service).Should().BeGreaterThan(0);
        staller.ResumeReading();
        await metrics.WaitForAsync(QueuedFrames, 0, service);
        await metrics.WaitForAsync(DeepestQueue, 0, service);

        await staller.DisposeAsync();
        await metrics.WaitForAsync(Connections, 1, service);
        await reader.DisposeAsync();
        await metrics.WaitForAsync(Connections, 0, service);
    }

    [Fact]
    public async Task Refusals_CountRefusedCredentialsAndTokens_ByReasonAndFace()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var metrics = new EmulatorMetrics();
        var restRefusal = (("chatrooms.refusal.reason", (object)"unauthenticated"), ("chatrooms.face", (object)"rest"));
        var tokenRefusal = (("chatrooms.refusal.reason", (object)"unauthenticated"), ("chatrooms.face", (object)"twilsock"));
        metrics.Value("chatrooms.emulator.refusals", restRefusal.Item1, restRefusal.Item2).Should().BeNull();

        using var wrong = EmulatorClients.Raw(server);
        wrong.DefaultRequestHeaders.Authorization = EmulatorClients.Basic(server.Credentials.AccountSid, "not-the-token");
        using var answer = await wrong.GetAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations"), Ct);
        ((int)answer.StatusCode).Should().Be(401);
        await using var refused = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, "not-a-token", Ct);
        refused.InitReply.StatusCode.Should().Be(401);

        using var media = await wrong.GetAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{server.DefaultServiceSid}/Media/ME00000000000000000000000000000000"), Ct);
        ((int)media.StatusCode).Should().Be(401);

        metrics.Value("chatrooms.emulator.refusals", restRefusal.Item1, restRefusal.Item2).Should().Be(1);
        metrics.Value("chatrooms.emulator.refusals", tokenRefusal.Item1, tokenRefusal.Item2).Should().Be(1);
        metrics.Value("chatrooms.emulator.refusals", ("chatrooms.refusal.reason", "unauthenticated"), ("chatrooms.face", "mcs")).Should().Be(1);
    }

    [Fact]
    public async Task WebhookDeliveries_AndCommitTime_AreCounted()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        using var metrics = new EmulatorMetrics();
        var client = EmulatorClients.Twilio(server);
        await ServiceWebhook.UpdateAsync(server.DefaultServiceSid, postWebhookUrl: new Uri(receiver.Url), filters: ["onConversationAdded"], method: "POST", client: client);
        var commits = metrics.Value("chatrooms.emulator.store.commit.duration") ?? 0;
        commits.Should().BeGreaterThan(0, "configuring the webhook was a write");

        var room = await ConversationResource.CreateAsync(friendlyName: "hooked", xTwilioWebhookEnabled: ConversationResource.WebhookEnabledTypeEnum.True, client: client);
        await receiver.NextAsync(w => w.Parameters.GetValueOrDefault("ConversationSid") == room.Sid, Ct);

        await metrics.WaitForAsync("chatrooms.emulator.webhook.deliveries", 1,
            ("chatrooms.webhook.outcome", "delivered"), ("chatrooms.webhook.event_type", "onConversationAdded"));
        metrics.Value("chatrooms.emulator.store.commit.duration").Should().BeGreaterThan(commits, "creating the conversation was another");
    }

    [Fact]
    public async Task PreEventWebhooks_AreCounted_ByAnswer()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        receiver.Answer = w => w.Parameters.GetValueOrDefault("Body") == "refuse me" ? (403, null) : (200, null);
        using var metrics = new EmulatorMetrics();
        var client = EmulatorClients.Twilio(server);
        await ServiceWebhook.UpdateAsync(server.DefaultServiceSid, preWebhookUrl: new Uri(receiver.Url), filters: ["onMessageAdd"], method: "POST", client: client);
        var room = await ConversationResource.CreateAsync(friendlyName: "asked", client: client);
        var enabled = Twilio.Rest.Conversations.V1.Conversation.MessageResource.WebhookEnabledTypeEnum.True;

        await Twilio.Rest.Conversations.V1.Conversation.MessageResource.CreateAsync(room.Sid, body: "fine", xTwilioWebhookEnabled: enabled, client: client);
        var refused = () => Twilio.Rest.Conversations.V1.Conversation.MessageResource.CreateAsync(room.Sid, body: "refuse me", xTwilioWebhookEnabled: enabled, client: client);
        await refused.Should().ThrowAsync<Twilio.Exceptions.ApiException>();

        metrics.Value("chatrooms.emulator.webhook.pre_event", ("chatrooms.webhook.outcome", "allowed"), ("chatrooms.webhook.event_type", "onMessageAdd")).Should().Be(1);
        metrics.Value("chatrooms.emulator.webhook.pre_event", ("chatrooms.webhook.outcome", "refused"), ("chatrooms.webhook.event_type", "onMessageAdd")).Should().Be(1);
    }
}
