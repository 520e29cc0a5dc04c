using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Resources.Webhooks;

/// <summary>
/// Webhook configuration as Twilio's REST API has it: the account's and each service's pre- and post-event URLs,
/// method and filters, and up to five conversation-scoped webhooks per conversation (post-event, target <c>webhook</c>).
/// </summary>
internal sealed class WebhookRules(EmulatorStore store, TimeProvider time, bool allowRemote, WebhookRecorder recorder, ILogger<WebhookRules> logger)
{
    /// <summary>Twilio's limit of conversation-scoped webhooks per conversation.</summary>
    public const int MaxPerConversation = 5;

    /// <summary>Twilio's longest conversation-scoped webhook URL (error 50372).</summary>
    public const int MaxUrlLength = 512;

    /// <summary>Every event name Twilio's configuration filters accept.</summary>
    public static readonly IReadOnlySet<string> ConfigFilters = new HashSet<string>(StringComparer.Ordinal)
    {
        "onMessageAdded", "onMessageUpdated", "onMessageRemoved", "onMessageAdd", "onMessageUpdate", "onMessageRemove",
        "onConversationUpdated", "onConversationRemoved", "onConversationAdd", "onConversationAdded", "onConversationRemove",
        "onConversationUpdate", "onConversationStateUpdated", "onParticipantAdded", "onParticipantUpdated", "onParticipantRemoved",
        "onParticipantAdd", "onParticipantRemove", "onParticipantUpdate", "onDeliveryUpdated", "onUserAdded", "onUserUpdate",
        "onUserUpdated",
    };

    /// <summary>The events a conversation-scoped webhook may filter on (post-event only).</summary>
    public static readonly IReadOnlySet<string> ScopedFilters = new HashSet<string>(StringComparer.Ordinal)
    {
        "onMessageAdded", "onMessageUpdated", "onMessageRemoved", "onConversationUpdated", "onConversationStateUpdated",
        "onConversationRemoved", "onParticipantAdded", "onParticipantUpdated", "onParticipantRemoved", "onDeliveryUpdated",
    };

    /// <summary>The configuration of the account (<paramref name="sid"/> <c>AC…</c>) or a service (<c>IS…</c>); its defaults when never set.</summary>
    public WebhookConfigRecord Config(string sid) => store.Read(s =>
    {
        if (sid.StartsWith("IS", StringComparison.Ordinal))
        {
            s.Services.Get(sid);
        }

        return s.WebhookConfigs.Find(sid) ?? Default(sid);
    });

    /// <summary>Changes what is sent (an empty URL clears it); each field left out keeps its value.</summary>
    public WebhookConfigRecord UpdateConfig(string sid, string? preWebhookUrl, string? postWebhookUrl, string? method, IReadOnlyList<string>? filters,
        string? target)
    {
        var pre = preWebhookUrl is null ? null : WebhookUrls.Check(preWebhookUrl, "PreWebhookUrl", allowRemote) ?? "";
        var post = postWebhookUrl is null ? null : WebhookUrls.Check(postWebhookUrl, "PostWebhookUrl", allowRemote) ?? "";
        var checkedMethod = Method(method, "Method");
        var checkedFilters = filters is null ? null : Filters(filters, ConfigFilters, "Filters");
        if (target is not null && target != "webhook")
        {
            throw target == "flex"
                ? TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "Target flex is not served by the emulator: it has no Flex; use Target=webhook")
                : TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Invalid Target: {target} (webhook or flex)");
        }

        return store.Write(s =>
        {
            if (sid.StartsWith("IS", StringComparison.Ordinal))
            {
                s.Services.Get(sid);
            }

            var old = s.WebhookConfigs.Find(sid);
            var current = old ?? Default(sid);
            var updated = current with
            {
                PreWebhookUrl = pre is null ? current.PreWebhookUrl : InputChecks.EmptyToNull(pre),
                PostWebhookUrl = post is null ? current.PostWebhookUrl : InputChecks.EmptyToNull(post),
                Method = checkedMethod ?? current.Method,
                Filters = checkedFilters ?? current.Filters,
            };
            if (old is null)
            {
                s.WebhookConfigs.Add(updated);
            }
            else
            {
                s.WebhookConfigs.Replace(updated);
            }

            return updated;
        });
    }

    public IReadOnlyList<ConversationWebhookRecord> List(string serviceSid, string conversationKey) =>
        store.Read(s => s.Webhooks.In(s.Conversations.Get(serviceSid, conversationKey).Sid));

    public ConversationWebhookRecord Fetch(string serviceSid, string conversationKey, string sid) =>
        store.Read(s => Get(s, s.Conversations.Get(serviceSid, conversationKey), sid));

    /// <summary>
    /// Adds a conversation-scoped webhook. Only <c>Target=webhook</c> is served: <c>studio</c> and <c>trigger</c> need
    /// Twilio's Studio or keyword triggers, which the emulator does not have, and are refused saying so. With
    /// <paramref name="replayAfter"/>, the messages from that index on are sent to it as <c>onMessageAdded</c> (when its
    /// filters name that event), before any new one, in the same write that adds it.
    /// </summary>
    public ConversationWebhookRecord Create(string serviceSid, string conversationKey, string? target, string? url, string? method,
        IReadOnlyList<string> filters, int? replayAfter = null)
    {
        switch (target)
        {
            case null or "":
                throw TwilioErrors.BadRequest(TwilioErrors.WebhookTargetRequired, "Conversation webhook target (Target) not provided");
            case "studio" or "trigger":
                throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter,
                    $"Target {target} is not served by the emulator (it has no Studio flows or keyword triggers); use Target=webhook");
            case not "webhook":
                throw TwilioErrors.BadRequest(TwilioErrors.InvalidWebhookTarget, $"Invalid conversation webhook target: {target} (webhook, trigger or studio)");
        }

        var checkedUrl = ScopedUrl(url) ?? throw TwilioErrors.BadRequest(TwilioErrors.WebhookUrlRequired, "Conversation webhook URL (Configuration.Url) not provided");
        var checkedMethod = Method(method, "Configuration.Method") ?? "POST";
        var checkedFilters = Filters(filters, ScopedFilters, "Configuration.Filters", TwilioErrors.InvalidWebhookFilter);
        var now = TwilioFormat.Now(time);
        var webhook = store.Write(s =>
        {
            var conversation = s.Conversations.Get(serviceSid, conversationKey);
            if (s.Webhooks.In(conversation.Sid).Count >= MaxPerConversation)
            {
                throw TwilioErrors.BadRequest(TwilioErrors.TooManyWebhooks, $"Too many conversation webhooks: a conversation has at most {MaxPerConversation}");
            }

            var created = new ConversationWebhookRecord(s.NextSeq(), TwilioFormat.NewSid("WH"), conversation.ServiceSid, conversation.Sid, "webhook",
                checkedUrl, checkedMethod, checkedFilters, now, now);
            s.Webhooks.Add(created);
            if (replayAfter is { } from)
            {
                recorder.Replay(s, created, from);
            }

            return created;
        });
        Log.Created(logger, "webhook", webhook.Sid);
        return webhook;
    }

    public ConversationWebhookRecord Update(string serviceSid, string conversationKey, string sid, string? url, string? method,
        IReadOnlyList<string>? filters)
    {
        var checkedUrl = url is null ? null : ScopedUrl(url);
        var checkedMethod = Method(method, "Configuration.Method");
        var checkedFilters = filters is null ? null : Filters(filters, ScopedFilters, "Configuration.Filters", TwilioErrors.InvalidWebhookFilter);
        var now = TwilioFormat.Now(time);
        return store.Write(s =>
        {
            var webhook = Get(s, s.Conversations.Get(serviceSid, conversationKey), sid);
            var updated = webhook with
            {
                Url = checkedUrl ?? webhook.Url,
                Method = checkedMethod ?? webhook.Method,
                Filters = checkedFilters ?? webhook.Filters,
                DateUpdated = now,
            };
            s.Webhooks.Replace(updated);
            return updated;
        });
    }

    public void Delete(string serviceSid, string conversationKey, string sid) => store.Write(s =>
    {
        s.Webhooks.Remove(Get(s, s.Conversations.Get(serviceSid, conversationKey), sid));
        return true;
    });

    private static WebhookConfigRecord Default(string sid) => new(sid, null, null, "POST", [], "webhook");

    private static ConversationWebhookRecord Get(EmulatorState s, ConversationRecord conversation, string sid) =>
        s.Webhooks.Find(sid) is { } webhook && webhook.ConversationSid == conversation.Sid
            ? webhook
            : throw TwilioErrors.NoSuchWebhook(conversation.Sid, sid);

    private static string? Method(string? method, string field) => method?.ToUpperInvariant() switch
    {
        null or "" => null,
        "GET" => "GET",
        "POST" => "POST",
        _ => throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Invalid {field}: {method} (GET or POST)"),
    };

    private string? ScopedUrl(string? url) => url is { Length: > MaxUrlLength }
        ? throw TwilioErrors.BadRequest(TwilioErrors.WebhookUrlTooLong, $"Conversation webhook URL is too long: at most {MaxUrlLength} characters")
        : WebhookUrls.Check(url, "Configuration.Url", allowRemote);

    private static List<string> Filters(IReadOnlyList<string> filters, IReadOnlySet<string> allowed, string field, int code = TwilioErrors.InvalidParameter)
    {
        foreach (var filter in filters)
        {
            if (!allowed.Contains(filter))
            {
                throw TwilioErrors.BadRequest(code, $"Invalid {field}: {filter} is not one of {string.Join(", ", allowed)}");
            }
        }

        return [.. filters.Distinct(StringComparer.Ordinal)];
    }
}
