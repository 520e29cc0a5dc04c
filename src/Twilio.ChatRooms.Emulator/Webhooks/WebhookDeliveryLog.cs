namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>One attempt to deliver a webhook, as <c>GET {prefix}/webhooks/deliveries</c> lists it.</summary>
internal sealed record WebhookDeliveryEntry(string Sid, string EventType, string Url, string Method, int Attempt, string Outcome,
    int? Status, TimeSpan Duration, string? Error, IReadOnlyDictionary<string, string> Payload, string? Response, DateTimeOffset Date);

/// <summary>The latest <see cref="Capacity"/> attempts, in memory (a restart starts it afresh); newest first.</summary>
internal sealed class WebhookDeliveryLog
{
    public const int Capacity = 200;

    private readonly Lock _gate = new();
    private readonly LinkedList<WebhookDeliveryEntry> _entries = [];

    /// <summary>Raised after an attempt is added (the inspector shows it without a reload). Must not block.</summary>
    public event Action? Added;

    public void Add(WebhookDeliveryEntry entry)
    {
        lock (_gate)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        Added?.Invoke();
    }

    public IReadOnlyList<WebhookDeliveryEntry> Recent()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }
}
