namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// Who caused a write, as Twilio's webhooks report it: <see cref="Source"/> <c>API</c> (REST), <c>SDK</c> (a client SDK,
/// with <see cref="ClientIdentity"/>) or <c>SMS</c> (a text coming in). <see cref="FiresWebhooks"/> is false for REST
/// without <c>X-Twilio-Webhook-Enabled: true</c>, as on Twilio. Each face sets it around the calls it makes (an ambient
/// value, so the resources' rules keep their signatures); a write with none (the emulator's own reset and seed) fires
/// no webhook.
/// </summary>
internal sealed record WriteOrigin(string Source, string? ClientIdentity, bool FiresWebhooks)
{
    private static readonly AsyncLocal<WriteOrigin?> Ambient = new();

    public static WriteOrigin Sms { get; } = new("SMS", null, true);

    /// <summary>The origin of the writes made now, on this flow; null when none was set.</summary>
    public static WriteOrigin? Current => Ambient.Value;

    /// <summary>REST: webhooks only when the request asked for them with <c>X-Twilio-Webhook-Enabled: true</c>.</summary>
    public static WriteOrigin Api(bool webhooksEnabled) => new("API", null, webhooksEnabled);

    /// <summary>A chat user of a client SDK.</summary>
    public static WriteOrigin Sdk(string? identity) => new("SDK", identity, true);

    /// <summary>Makes <paramref name="origin"/> current until the returned scope is disposed (null: writes that fire no webhook).</summary>
    public static Scope Use(WriteOrigin? origin)
    {
        var previous = Ambient.Value;
        Ambient.Value = origin;
        return new Scope(previous);
    }

    /// <summary>Restores the origin that was current before.</summary>
    internal readonly struct Scope(WriteOrigin? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
