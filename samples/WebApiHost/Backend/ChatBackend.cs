namespace WebApiHost.Backend;

/// <summary>Which back end the host talks to, as the client is told in the login response.</summary>
/// <param name="Name"><c>twilio</c> or <c>emulator</c>.</param>
/// <param name="HubUrl">Where browsers connect for real-time events on the emulator; null on Twilio (its SDK knows).</param>
internal sealed record ChatBackend(string Name, string? HubUrl)
{
    public static ChatBackend Twilio { get; } = new("twilio", null);

    public static ChatBackend Emulator { get; } = new("emulator", ChatBackendExtensions.EmulatorPrefix + "/hub");

    public bool IsEmulator => ReferenceEquals(this, Emulator);
}
