using System.Globalization;

namespace Twilio.ChatRooms;

/// <summary>
/// One webhook Twilio Conversations (or its emulator) sent, its signature checked: the event's name and its common
/// fields, typed, and every parameter as sent.
/// </summary>
public sealed class ConversationsWebhookEvent
{
    /// <summary>Reads the parameters of one request.</summary>
    /// <param name="parameters">The form (or query) parameters Twilio sent.</param>
    public ConversationsWebhookEvent(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>Every parameter as Twilio sent it, such as <c>EventType</c>, <c>Body</c> or <c>MessagingBinding.Address</c>.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The event, such as <c>onMessageAdded</c> (after a change) or <c>onMessageAdd</c> (before one).</summary>
    public string EventType => Get("EventType") ?? "";

    /// <summary>
    /// Whether this asks before a change (<c>onMessageAdd</c>, <c>onConversationUpdate</c>, …): the handler's
    /// <see cref="WebhookDecision"/> allows, refuses or changes it. Post-event names end in <c>ed</c>.
    /// </summary>
    public bool IsPreEvent => EventType.Length > 0 && !EventType.EndsWith("ed", StringComparison.Ordinal);

    /// <summary>What made the change: <c>SDK</c>, <c>API</c> or <c>SMS</c>.</summary>
    public string? Source => Get("Source");

    /// <summary>The chat user who made it, when made through a client SDK.</summary>
    public string? ClientIdentity => Get("ClientIdentity");

    /// <summary>The conversation the event is about, if any.</summary>
    public string? ConversationSid => Get("ConversationSid");

    /// <summary>The message the event is about, if any.</summary>
    public string? MessageSid => Get("MessageSid");

    /// <summary>The participant the event is about, if any.</summary>
    public string? ParticipantSid => Get("ParticipantSid");

    /// <summary>A message's author.</summary>
    public string? Author => Get("Author");

    /// <summary>A message's body (proposed, before a change).</summary>
    public string? Body => Get("Body");

    /// <summary>The resource's attributes (a JSON string).</summary>
    public string? Attributes => Get("Attributes");

    /// <summary>A conversation's or user's friendly name.</summary>
    public string? FriendlyName => Get("FriendlyName");

    /// <summary>A participant's or user's identity.</summary>
    public string? Identity => Get("Identity");

    /// <summary>How many times this delivery was tried before.</summary>
    public int RetryCount => int.TryParse(Get("RetryCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}
