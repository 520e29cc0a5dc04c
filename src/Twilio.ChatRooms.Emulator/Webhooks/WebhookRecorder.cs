using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// Decides, inside the write that made a change, which post-event webhooks it causes, and records each as a pending
/// delivery in that write: the service's configuration when it has a URL set, else the account's (Twilio: "service-scoped
/// webhooks will override your global webhook settings"), each only for the events its filters name, plus every
/// conversation-scoped webhook of the conversation whose filters name the event. Only writes whose origin fires webhooks
/// (the SDK, SMS, REST with <c>X-Twilio-Webhook-Enabled: true</c>) cause any.
/// </summary>
internal sealed class WebhookRecorder(string accountSid, TimeProvider time) : IEventRecorder
{
    private const int MaxLanes = 4096;
    private readonly Dictionary<(string Url, string Lane), string> _lanes = [];
    private readonly System.Buffers.ArrayBufferWriter<byte> _scratch = new(1024); // only used inside the store's lock

    public void Record(EmulatorState state, IReadOnlyList<EmulatorEvent> events, IReadOnlyList<StateChange> changes, WriteOrigin? origin)
    {
        if (origin is not { FiresWebhooks: true })
        {
            return;
        }

        var now = time.GetUtcNow();
        List<WebhookDeliveryRecord>? queued = null;
        foreach (var change in events)
        {
            if (WebhookPayloads.Of(change, now) is not { } post)
            {
                continue;
            }

            var config = Effective(state, post.ServiceSid);
            if (config is { PostWebhookUrl: { Length: > 0 } url, Target: "webhook" } && config.Filters.Contains(post.EventType))
            {
                (queued ??= []).Add(Queue(state, post, origin, url, config.Method, null, now));
            }

            if (post.ConversationSid is { } conversation)
            {
                foreach (var hook in ScopedWebhooks(state, changes, conversation))
                {
                    if (hook.Filters.Contains(post.EventType))
                    {
                        (queued ??= []).Add(Queue(state, post, origin, hook.Url, hook.Method, hook.Sid, now));
                    }
                }
            }
        }

        if (queued is not null)
        {
            state.Raise(new WebhooksQueued(queued));
        }
    }

    /// <summary>The configuration that applies to a service: its own when it has a URL set, else the account's.</summary>
    public static WebhookConfigRecord? Effective(EmulatorState state, string serviceSid) =>
        state.WebhookConfigs.Find(serviceSid) is { } own && (own.PreWebhookUrl is { Length: > 0 } || own.PostWebhookUrl is { Length: > 0 })
            ? own
            : state.WebhookConfigs.Values.FirstOrDefault(c => c.Sid.StartsWith("AC", StringComparison.Ordinal));

    /// <summary>The conversation's webhooks, with those its removal in this very write took away (they still hear it).</summary>
    private static IEnumerable<ConversationWebhookRecord> ScopedWebhooks(EmulatorState state, IReadOnlyList<StateChange> changes, string conversationSid) =>
        state.Webhooks.In(conversationSid).Concat(changes
            .Where(c => c is { Old: ConversationWebhookRecord gone, New: null } && gone.ConversationSid == conversationSid)
            .Select(c => (ConversationWebhookRecord)c.Old!));

    /// <summary>
    /// Queues, in the write in progress, the conversation's messages from index <paramref name="replayAfter"/> on to a
    /// new conversation-scoped webhook, as <c>onMessageAdded</c> (Twilio's <c>Configuration.ReplayAfter</c>), in order.
    /// </summary>
    public void Replay(EmulatorState state, ConversationWebhookRecord webhook, int replayAfter)
    {
        var now = time.GetUtcNow();
        var origin = WriteOrigin.Api(webhooksEnabled: true);
        List<WebhookDeliveryRecord> queued = [];
        foreach (var message in state.Messages.In(webhook.ConversationSid))
        {
            if (message.Index >= replayAfter && webhook.Filters.Contains("onMessageAdded")
                && WebhookPayloads.Of(new MessageAdded(message), now) is { } post)
            {
                queued.Add(Queue(state, post, origin, webhook.Url, webhook.Method, webhook.Sid, now));
            }
        }

        if (queued.Count > 0)
        {
            state.Raise(new WebhooksQueued(queued));
        }
    }

    private WebhookDeliveryRecord Queue(EmulatorState state, PostEvent post, WriteOrigin origin, string url, string method, string? webhookSid,
        DateTimeOffset now)
    {
        // The resource's fields, then Twilio's own: no resource has a field of these names (WebhookPayloads).
        List<KeyValuePair<string, string>> own =
        [
            new("AccountSid", accountSid),
            new("EventType", post.EventType),
            new("Source", origin.Source),
        ];
        if (origin.ClientIdentity is { } identity)
        {
            own.Add(new("ClientIdentity", identity));
        }

        if (webhookSid is not null)
        {
            own.Add(new("WebhookSid", webhookSid));
            own.Add(new("WebhookType", "webhook"));
        }

        var delivery = new WebhookDeliveryRecord(state.NextSeq(), TwilioFormat.NewSid("WD"), Lane(url, post.Lane), url, method, post.EventType,
            WebhookPayload.Of(post.Fields.Concat(own), _scratch), now);
        state.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    /// <summary>
    /// A lane's key (its URL and its conversation or user), the same string for every delivery of the lane while it is
    /// known: a delivery can wait long, and one string per delivery was memory the collector copied for nothing.
    /// </summary>
    private string Lane(string url, string lane)
    {
        // Only called inside the store's lock. Bounded: forgotten all at once when full (a key made again is equal).
        if (!_lanes.TryGetValue((url, lane), out var key))
        {
            if (_lanes.Count >= MaxLanes)
            {
                _lanes.Clear();
            }

            _lanes[(url, lane)] = key = $"{url} {lane}";
        }

        return key;
    }
}
