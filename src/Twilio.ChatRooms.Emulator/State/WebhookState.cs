namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// The account's (SID <c>AC…</c>) or a service's (SID <c>IS…</c>) webhook configuration, as Twilio's Webhook
/// Configuration resources hold it. <see cref="Method"/> is <c>GET</c> or <c>POST</c>; <see cref="Target"/> is
/// <c>webhook</c> (the account level only has a choice).
/// </summary>
internal sealed record WebhookConfigRecord(string Sid, string? PreWebhookUrl, string? PostWebhookUrl, string Method,
    IReadOnlyList<string> Filters, string Target) : IRecord;

/// <summary>A conversation-scoped webhook (<c>WH…</c>): post-event only, <see cref="Method"/> <c>GET</c> or <c>POST</c>.</summary>
internal sealed record ConversationWebhookRecord(long Seq, string Sid, string ServiceSid, string ConversationSid, string Target,
    string Url, string Method, IReadOnlyList<string> Filters, DateTimeOffset DateCreated, DateTimeOffset DateUpdated) : IRecord;

/// <summary>
/// A post-event webhook still to deliver, written in the same write as the change that caused it and removed once it
/// was delivered or given up, so a crash loses none. <see cref="Lane"/> orders deliveries: those of one lane (one URL and
/// one conversation, or one user) leave one at a time, by <see cref="Seq"/>. <see cref="Payload"/> is the form Twilio
/// sends, without <c>RetryCount</c>, which each attempt adds (packed: see <see cref="WebhookPayload"/>).
/// </summary>
internal sealed record WebhookDeliveryRecord(long Seq, string Sid, string Lane, string Url, string Method, string EventType,
    WebhookPayload Payload, DateTimeOffset DateCreated) : IRecord;

/// <summary>The account's and the services' webhook configurations, by the SID they configure.</summary>
internal sealed class WebhookConfigTable(EmulatorState state) : Table<WebhookConfigRecord>(state, EmulatorState.WebhookConfigKind);

/// <summary>The conversation-scoped webhooks, indexed by conversation.</summary>
internal sealed class ConversationWebhookTable(EmulatorState state) : Table<ConversationWebhookRecord>(state, EmulatorState.WebhookKind)
{
    private readonly Dictionary<string, List<ConversationWebhookRecord>> _byConversation = new(StringComparer.Ordinal);

    /// <summary>The conversation's webhooks, oldest first.</summary>
    public IReadOnlyList<ConversationWebhookRecord> In(string conversationSid) =>
        _byConversation.TryGetValue(conversationSid, out var list) ? [.. list.OrderBy(w => w.Seq)] : [];

    public void RemoveAllIn(string conversationSid)
    {
        foreach (var webhook in In(conversationSid))
        {
            Remove(webhook);
        }
    }

    protected override void Indexed(ConversationWebhookRecord? old, ConversationWebhookRecord? current)
    {
        if (old is not null && _byConversation.TryGetValue(old.ConversationSid, out var list))
        {
            list.RemoveAll(w => w.Sid == old.Sid);
            if (list.Count == 0)
            {
                _byConversation.Remove(old.ConversationSid);
            }
        }

        if (current is not null)
        {
            if (!_byConversation.TryGetValue(current.ConversationSid, out var into))
            {
                _byConversation[current.ConversationSid] = into = [];
            }

            into.Add(current);
        }
    }
}

/// <summary>The post-event webhooks not yet delivered.</summary>
internal sealed class WebhookDeliveryTable(EmulatorState state) : Table<WebhookDeliveryRecord>(state, EmulatorState.WebhookDeliveryKind)
{
    /// <summary>Every pending delivery, in the order they were caused.</summary>
    public IReadOnlyList<WebhookDeliveryRecord> Pending => [.. Values.OrderBy(d => d.Seq)];
}
