using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Twilio.ChatRooms.Emulator.Tool;

/// <summary>The tool's settings, read from the <c>Emulator</c> configuration section and checked before anything starts.</summary>
internal sealed record EmulatorSettings(int Port, string? DataDirectory, TimeSpan Latency, double Jitter, double Rate429, double Rate503, bool TwilioRateLimits,
    int MaxQueuedFramesPerConnection, TimeSpan? DropConnectionsEvery, int MaxConnectionsPerIdentity, int MaxConnectionsPerAddress, TimeSpan FrameReadTimeout)
{
    public const string Prefix = "/emulator";
    public const int DefaultPort = 4010;
    public const string DefaultDataDirectory = "conversations-emulator-data";

    /// <summary>The seed file applied at start to an empty state (Emulator:SeedFile, --seed); null for none.</summary>
    public string? SeedFile { get; init; }

    public static EmulatorSettings From(IConfiguration section, bool inMemory)
    {
        var port = Read(section, "Port", DefaultPort, int.Parse);
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"The port must be between 0 and 65535, not {port}.");
        }

        var settings = new EmulatorSettings(
            port,
            inMemory ? null : Path.GetFullPath(section["DataDirectory"] is { Length: > 0 } d ? d : DefaultDataDirectory),
            Read(section, "Faults:Latency", TimeSpan.Zero, s => TimeSpan.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "Faults:LatencyJitter", 0d, s => double.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "Faults:TooManyRequestsRate", 0d, s => double.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "Faults:ServiceUnavailableRate", 0d, s => double.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "Faults:EnforceTwilioRateLimits", false, bool.Parse),
            Read(section, "ClientProtocol:MaxQueuedFramesPerConnection", ClientProtocolOptions.DefaultMaxQueuedFramesPerConnection, s => int.Parse(s, CultureInfo.InvariantCulture)),
            Read<TimeSpan?>(section, "ClientProtocol:DropConnectionsEvery", null, s => TimeSpan.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "ClientProtocol:MaxConnectionsPerIdentity", ClientProtocolOptions.DefaultMaxConnectionsPerIdentity, s => int.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "ClientProtocol:MaxConnectionsPerAddress", ClientProtocolOptions.DefaultMaxConnectionsPerAddress, s => int.Parse(s, CultureInfo.InvariantCulture)),
            Read(section, "ClientProtocol:FrameReadTimeout", TimeSpan.FromSeconds(ClientProtocolOptions.DefaultFrameReadTimeoutSeconds), s => TimeSpan.Parse(s, CultureInfo.InvariantCulture)))
        {
            SeedFile = section["SeedFile"] is { Length: > 0 } seed ? Path.GetFullPath(seed) : null,
        };

        Check(settings.Latency >= TimeSpan.Zero, "Emulator:Faults:Latency (--latency-ms)", "must not be negative");
        Check(settings.Jitter is >= 0 and <= 1, "Emulator:Faults:LatencyJitter (--jitter)", "must lie between 0 and 1");
        Check(settings.Rate429 is >= 0 and <= 1, "Emulator:Faults:TooManyRequestsRate (--rate-429)", "must lie between 0 and 1");
        Check(settings.Rate503 is >= 0 and <= 1, "Emulator:Faults:ServiceUnavailableRate (--rate-503)", "must lie between 0 and 1");
        Check(settings.MaxQueuedFramesPerConnection >= 1, "Emulator:ClientProtocol:MaxQueuedFramesPerConnection", "must be at least 1");
        Check(settings.DropConnectionsEvery is null || settings.DropConnectionsEvery > TimeSpan.Zero,
            "Emulator:ClientProtocol:DropConnectionsEvery (--drop-connections-every)", "must be more than zero");
        Check(settings.MaxConnectionsPerIdentity >= 1, "Emulator:ClientProtocol:MaxConnectionsPerIdentity", "must be at least 1");
        Check(settings.MaxConnectionsPerAddress >= 1, "Emulator:ClientProtocol:MaxConnectionsPerAddress", "must be at least 1");
        Check(settings.FrameReadTimeout > TimeSpan.Zero, "Emulator:ClientProtocol:FrameReadTimeout", "must be more than zero");
        return settings;
    }

    public void Apply(ConversationsEmulatorOptions options)
    {
        options.DataDirectory = DataDirectory;
        options.SeedFile = SeedFile;
        options.Faults.Latency = Latency;
        options.Faults.LatencyJitter = Jitter;
        options.Faults.TooManyRequestsRate = Rate429;
        options.Faults.ServiceUnavailableRate = Rate503;
        options.Faults.EnforceTwilioRateLimits = TwilioRateLimits;
        options.ClientProtocol.MaxQueuedFramesPerConnection = MaxQueuedFramesPerConnection;
        options.ClientProtocol.DropConnectionsEvery = DropConnectionsEvery;
        options.ClientProtocol.MaxConnectionsPerIdentity = MaxConnectionsPerIdentity;
        options.ClientProtocol.MaxConnectionsPerAddress = MaxConnectionsPerAddress;
        options.ClientProtocol.FrameReadTimeout = FrameReadTimeout;
    }

    private static void Check(bool valid, string name, string rule)
    {
        if (!valid)
        {
            throw new ArgumentException($"{name} {rule}.");
        }
    }

    /// <summary>What a developer needs to point their app at the emulator.</summary>
    public string Describe(string address) => string.Join(Environment.NewLine,
        $"Conversations emulator listening on {address}{Prefix} (loopback only)",
        $"  REST (Twilio server SDKs):  {address}{Prefix}/v1/...  in place of https://conversations.twilio.com/v1/...",
        $"  Client SDKs:                new Client(token, {{ Twilsock: {{ uri: \"{ConversationsEmulatorServer.TwilsockUriFor(new Uri(address + Prefix))}\" }} }})",
        $"  State:                      {(DataDirectory is null ? "in memory only" : DataDirectory)}",
        $"  Faults:                     latency {Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms ±{Jitter.ToString("P0", CultureInfo.InvariantCulture)}, 429 rate {Rate429.ToString(CultureInfo.InvariantCulture)}, 503 rate {Rate503.ToString(CultureInfo.InvariantCulture)}, Twilio rate limits {(TwilioRateLimits ? "on" : "off")}",
        $"  Client connections:         {(DropConnectionsEvery is { } every ? $"all dropped every {every.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "kept")}",
        "Press Ctrl+C to stop.");

    private static T Read<T>(IConfiguration section, string key, T fallback, Func<string, T> parse)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"Emulator:{key} is '{text}', which is not a valid {(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)).Name}.");
        }
    }
}
