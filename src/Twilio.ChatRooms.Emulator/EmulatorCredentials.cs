namespace Twilio.ChatRooms.Emulator;

/// <summary>The credentials the emulator accepts with HTTP Basic authentication.</summary>
/// <param name="AccountSid">The account SID (AC followed by 32 hex digits).</param>
/// <param name="AuthToken">The account's auth token.</param>
/// <param name="ApiKeySid">The API key SID (SK followed by 32 hex digits).</param>
/// <param name="ApiKeySecret">The API key secret; at least 32 bytes so access tokens can be signed.</param>
public sealed record EmulatorCredentials(string AccountSid, string AuthToken, string ApiKeySid, string ApiKeySecret)
{
    /// <summary>Well-known development credentials. They are public test values, not secrets.</summary>
    public static EmulatorCredentials Development { get; } = new(
        "AC00000000000000000000000000000000",
        "emulator-development-auth-token-0",
        "SK00000000000000000000000000000000",
        "emulator-development-api-key-secret-0000");
}
