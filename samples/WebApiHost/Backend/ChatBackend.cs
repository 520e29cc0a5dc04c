namespace WebApiHost.Backend;

/// <summary>Which back end the host talks to, as the client is told in the login response.</summary>
/// <param name="Name"><c>twilio</c> or <c>emulator</c>.</param>
internal sealed record ChatBackend(string Name)
{
    public static ChatBackend Twilio { get; } = new("twilio");

    public static ChatBackend Emulator { get; } = new("emulator");

    public bool IsEmulator => ReferenceEquals(this, Emulator);
}
