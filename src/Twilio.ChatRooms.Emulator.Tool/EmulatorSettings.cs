using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Twilio.ChatRooms.Emulator.Tool;

/// <summary>
/// The tool's own settings from the <c>Emulator</c> configuration section (the port, where the state is kept); the
/// emulator's settings (faults, client protocol) are read by <see cref="ConversationsEmulatorOptions.Bind"/>, the same
/// method a host that mounts the emulator calls.
/// </summary>
internal sealed record EmulatorSettings(int Port, string? DataDirectory, EmulatorCredentials? Credentials = null, Uri? PublicAddress = null)
{
    public const string Prefix = "/emulator";
    public const int DefaultPort = 4010;
    public const string DefaultDataDirectory = "conversations-emulator-data";

    /// <summary>The command-line option of each setting that has one, so that a refusal names both.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["Emulator:Faults:Latency"] = "--latency-ms",
        ["Emulator:Faults:LatencyJitter"] = "--jitter",
        ["Emulator:Faults:TooManyRequestsRate"] = "--rate-429",
        ["Emulator:Faults:ServiceUnavailableRate"] = "--rate-503",
        ["Emulator:Faults:EnforceTwilioRateLimits"] = "--twilio-rate-limits",
        ["Emulator:ClientProtocol:DropConnectionsEvery"] = "--drop-connections-every",
    };

    public static EmulatorSettings From(IConfiguration section, bool inMemory)
    {
        var text = section["Port"];
        var port = DefaultPort;
        if (!string.IsNullOrWhiteSpace(text) && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out port))
        {
            throw new FormatException($"Emulator:Port is '{text}', which is not a valid port.");
        }

        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"The port must be between 0 and 65535, not {port}.");
        }

        return new EmulatorSettings(port, inMemory ? null : Path.GetFullPath(section["DataDirectory"] is { Length: > 0 } d ? d : DefaultDataDirectory),
            CredentialsFrom(section.GetSection("Credentials")), PublicAddressFrom(section["PublicAddress"]));
    }

    /// <summary>
    /// <c>Emulator:PublicAddress</c>: where clients reach the tool when that is not the port it listens on (a proxy in
    /// front of it, such as Aspire's), so the URLs it writes (media links, paging) use it. Unset: its own address.
    /// </summary>
    private static Uri? PublicAddressFrom(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new ArgumentException($"Emulator:PublicAddress is '{text}', which is not an absolute http:// or https:// address.");

    private static readonly string[] CredentialKeys = ["AccountSid", "AuthToken", "ApiKeySid", "ApiKeySecret"];

    /// <summary>
    /// <c>Emulator:Credentials:*</c>, all four keys or none (as the sample web host reads them): set by whoever starts
    /// the tool and hands the same values to the app (Aspire's <c>AddTwilioConversationsEmulator</c>), they win over
    /// the generated ones. Never printed.
    /// </summary>
    private static EmulatorCredentials? CredentialsFrom(IConfiguration credentials)
    {
        var missing = CredentialKeys.Where(key => string.IsNullOrEmpty(credentials[key])).ToList();
        if (missing.Count == CredentialKeys.Length)
        {
            return null;
        }

        if (missing.Count > 0)
        {
            throw new ArgumentException($"Emulator:Credentials is incomplete: {string.Join(", ", missing.Select(key => "Emulator:Credentials:" + key))} "
                + $"{(missing.Count == 1 ? "is" : "are")} missing. Set all four, or none to have them generated.");
        }

        if (credentials["ApiKeySecret"]!.Length < 32)
        {
            throw new ArgumentException("Emulator:Credentials:ApiKeySecret must be at least 32 characters: it signs access tokens.");
        }

        return new EmulatorCredentials(credentials["AccountSid"]!, credentials["AuthToken"]!, credentials["ApiKeySid"]!, credentials["ApiKeySecret"]!);
    }

    /// <summary>A refusal of <see cref="ConversationsEmulatorOptions.Bind"/>, with the command-line option where there is one.</summary>
    public static string WithOption(string failure)
    {
        var key = failure.Split(' ', 2)[0];
        return Options.TryGetValue(key, out var option) ? key + $" ({option})" + failure[key.Length..] : failure;
    }

    /// <summary>What a developer needs to point their app at the emulator.</summary>
    public string Describe(string address, ConversationsEmulatorOptions options) => string.Join(Environment.NewLine,
        $"Conversations emulator listening on {address}{Prefix} (loopback only)",
        $"  REST (Twilio server SDKs):  {address}{Prefix}/v1/...  in place of https://conversations.twilio.com/v1/...",
        $"  Client SDKs:                new Client(token, {{ Twilsock: {{ uri: \"{ConversationsEmulatorServer.TwilsockUriFor(new Uri(address + Prefix))}\" }} }})",
        $"  Inspector (browser):        {address}{Prefix}/inspector  (user: the account SID, password: the auth token)",
        $"  State:                      {(DataDirectory is null ? "in memory only" : DataDirectory)}",
        $"  Faults:                     latency {options.Faults.Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms ±{options.Faults.LatencyJitter.ToString("P0", CultureInfo.InvariantCulture)}, 429 rate {options.Faults.TooManyRequestsRate.ToString(CultureInfo.InvariantCulture)}, 503 rate {options.Faults.ServiceUnavailableRate.ToString(CultureInfo.InvariantCulture)}, Twilio rate limits {(options.Faults.EnforceTwilioRateLimits ? "on" : "off")}",
        $"  Client connections:         {(options.ClientProtocol.DropConnectionsEvery is { } every ? $"all dropped every {every.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "kept")}",
        "Press Ctrl+C to stop.");
}
