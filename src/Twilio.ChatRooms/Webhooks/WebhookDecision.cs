namespace Twilio.ChatRooms;

/// <summary>What a pre-event webhook handler answers: allow the change, refuse it, or allow it with fields changed.</summary>
public sealed class WebhookDecision
{
    private WebhookDecision(string? refusal, IReadOnlyDictionary<string, string>? changes)
    {
        Refusal = refusal;
        Changes = changes ?? new Dictionary<string, string>();
    }

    /// <summary>Lets the change go ahead as proposed.</summary>
    public static WebhookDecision Allow { get; } = new(null, null);

    /// <summary>Why the change is refused; null when it is not.</summary>
    public string? Refusal { get; }

    /// <summary>The fields to change, named as in the payload (<c>Body</c>, <c>Attributes</c>, <c>FriendlyName</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Changes { get; }

    /// <summary>Refuses the change: Twilio does not make it, and its caller (the SDK, or REST) gets an error.</summary>
    /// <param name="reason">Why, answered to Twilio and logged by this endpoint; never shown to the chat user by Twilio.</param>
    /// <returns>The decision.</returns>
    public static WebhookDecision Refuse(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(reason, null);
    }

    /// <summary>Lets the change go ahead with <paramref name="changes"/> in place of the proposed fields.</summary>
    /// <param name="changes">Field names as in the payload, such as <c>Body</c>, and their new values.</param>
    /// <returns>The decision.</returns>
    public static WebhookDecision Modify(IReadOnlyDictionary<string, string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return new(null, new Dictionary<string, string>(changes));
    }
}
