using System.Security.Cryptography;

namespace Twilio.ChatRooms.Emulator;

/// <summary>The credentials the emulator accepts with HTTP Basic authentication, and signs access tokens with.</summary>
/// <param name="AccountSid">The account SID (AC followed by 32 hex digits).</param>
/// <param name="AuthToken">The account's auth token.</param>
/// <param name="ApiKeySid">The API key SID (SK followed by 32 hex digits).</param>
/// <param name="ApiKeySecret">The API key secret; at least 32 bytes so access tokens can be signed.</param>
public sealed record EmulatorCredentials(string AccountSid, string AuthToken, string ApiKeySid, string ApiKeySecret)
{
    /// <summary>
    /// The name of the file, in the emulator's data directory, that holds the credentials it generated on its first
    /// start: JSON <c>{"accountSid", "authToken", "apiKeySid", "apiKeySecret"}</c>, readable by its owner only.
    /// </summary>
    public const string FileName = "emulator-credentials.json";

    /// <summary>
    /// Well-known development credentials, published in this repository: anyone can use them. The emulator uses them
    /// only when they are set explicitly, and then refuses to serve clients other than loopback ones.
    /// </summary>
    public static EmulatorCredentials Development { get; } = new(
        "AC00000000000000000000000000000000",
        "emulator-development-auth-token-0",
        "SK00000000000000000000000000000000",
        "emulator-development-api-key-secret-0000");

    /// <summary>New random credentials: Twilio-shaped SIDs, a 32-hex-digit auth token, a 256-bit API key secret.</summary>
    /// <returns>Credentials nobody else knows.</returns>
    public static EmulatorCredentials Generate() => new(
        "AC" + Hex(16),
        Hex(16),
        "SK" + Hex(16),
        Hex(32));

    /// <summary>Whether these are values anyone can know (<see cref="Development"/>).</summary>
    internal bool IsWellKnown => this == Development;

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
