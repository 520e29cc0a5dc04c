using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Receipts;

/// <summary>One delivery receipt: the text the emulator sent an SMS participant for a message, and that participant.</summary>
internal sealed record ReceiptView(int Position, string Sid, string ServiceSid, SmsRecord Sms, string? ParticipantSid);

/// <summary>
/// A message's delivery receipts, as Twilio defines them: one per non-chat (SMS, WhatsApp) participant the message was
/// sent to ("Delivery Receipts ... for non-chat participants", twilio.com/docs/conversations/delivery-receipts), none
/// for chat participants, whose reading is the read horizon instead. The emulator's receipt is the text in its SMS
/// outbox, with status <c>sent</c>: nothing further delivers it. The message's aggregated receipt (<see cref="Summary"/>)
/// counts the same texts.
/// </summary>
internal sealed class ReceiptRules(EmulatorStore store)
{
    /// <summary>The status of every receipt: the emulator's texts are accepted, and nothing reports them delivered or read.</summary>
    public const string Status = "sent";

    /// <summary>
    /// The aggregated receipt of a message sent as <paramref name="texts"/> (one per non-chat participant): their number,
    /// and for each status whether none, some or all of them have it; null when it went to no non-chat participant, as
    /// Twilio's <c>delivery</c> summarises delivery "to non-chat participants" only.
    /// </summary>
    public static DeliverySummary? Summary(IReadOnlyCollection<SmsRecord> texts)
    {
        if (texts.Count == 0)
        {
            return null;
        }

        // Each text has the one status; a status no text has is "none". Counted per status so a later status change
        // (delivered, read) needs only its count here.
        DeliveryAmount Amount(string status) => (status == Status ? texts.Count : 0) switch
        {
            0 => DeliveryAmount.None,
            var n when n == texts.Count => DeliveryAmount.All,
            _ => DeliveryAmount.Some,
        };

        return new DeliverySummary(texts.Count, Amount("sent"), Amount("delivered"), Amount("read"), Amount("undelivered"), Amount("failed"));
    }

    /// <summary>The receipts of a message, oldest first; a chat user sees them only in a conversation they take part in.</summary>
    public IReadOnlyList<ReceiptView> List(Actor actor, string serviceSid, string conversationKey, string messageKey) => store.Read(s =>
    {
        var conversation = actor.Conversation(s, serviceSid, conversationKey);
        var message = s.Messages.Get(conversation, messageKey);
        return s.Outbox.Sent.Where(sms => sms.MessageSid == message.Sid)
            .Select((sms, i) => new ReceiptView(i, SidOf(sms), conversation.ServiceSid, sms, s.Participants.WithBinding(sms.To, sms.From)
                .FirstOrDefault(p => p.ConversationSid == conversation.Sid)?.Sid))
            .ToList();
    });

    /// <summary>One receipt by its DY sid; 404/20404 when the message has no such receipt.</summary>
    public ReceiptView Fetch(Actor actor, string serviceSid, string conversationKey, string messageKey, string sid) =>
        List(actor, serviceSid, conversationKey, messageKey).FirstOrDefault(r => r.Sid == sid)
        ?? throw TwilioErrors.NotFound($"/Conversations/{conversationKey}/Messages/{messageKey}/Receipts/{sid}");

    /// <summary>An amount as Twilio writes it, in the REST <c>delivery</c> and the SDK's message item alike.</summary>
    public static string Name(DeliveryAmount amount) => amount switch
    {
        DeliveryAmount.All => "all",
        DeliveryAmount.Some => "some",
        _ => "none",
    };

    // A receipt is the outbox text seen as a receipt, so its sid is the text's own, with Twilio's receipt prefix: stable
    // across reads and restarts without a record of its own.
    private static string SidOf(SmsRecord sms) => "DY" + sms.Sid[2..];
}
