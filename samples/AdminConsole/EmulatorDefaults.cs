namespace AdminConsole;

/// <summary>
/// How <c>--emulator</c> connects: the web host's emulator address and the emulator's well-known development
/// credentials (copies of <c>Twilio.ChatRooms.Emulator.EmulatorCredentials.Development</c>; the console does not
/// reference the emulator). They are public test values, not secrets.
/// </summary>
internal static class EmulatorDefaults
{
    /// <summary>Where the web host serves the emulator.</summary>
    public const string Address = "http://localhost:5000/emulator";

    /// <summary>The development account SID.</summary>
    public const string AccountSid = "AC00000000000000000000000000000000";

    /// <summary>The development auth token.</summary>
    public const string AuthToken = "emulator-development-auth-token-0";

    /// <summary>The development API key SID.</summary>
    public const string ApiKeySid = "SK00000000000000000000000000000000";

    /// <summary>The development API key secret (32 bytes or more, as Twilio's token signing requires).</summary>
    public const string ApiKeySecret = "emulator-development-api-key-secret-0000";
}
