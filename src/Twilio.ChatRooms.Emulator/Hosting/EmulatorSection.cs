using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Emulator.Hosting;

/// <summary>
/// The one reading of the <c>Emulator</c> configuration section (<see cref="ConversationsEmulatorOptions.Bind"/>), so
/// that every documented setting works wherever the emulator runs: the <c>conversations-emulator</c> tool and a host
/// that mounts it. Every value is checked; all refused ones are reported together, each naming its key.
/// </summary>
internal static class EmulatorSection
{
    public static void Bind(IConfiguration section, ConversationsEmulatorOptions options)
    {
        var prefix = section is IConfigurationSection { Path.Length: > 0 } named ? named.Path + ":" : "";
        var refused = new List<string>();

        void Read<T>(string key, Func<string, T> parse, Action<T> apply, string rule)
        {
            var text = section[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return;
            }

            try
            {
                apply(parse(text));
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                refused.Add($"{prefix}{key} is '{text}': it {rule}.");
            }
        }

        static TimeSpan Time(string s) => TimeSpan.Parse(s, CultureInfo.InvariantCulture);
        static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

        Read("Faults:Latency", Time, v => options.Faults.Latency = v, "must be a TimeSpan (00:00:00.150), not negative");
        Read("Faults:LatencyJitter", Number, v => options.Faults.LatencyJitter = v, "must lie between 0 and 1");
        Read("Faults:TooManyRequestsRate", Number, v => options.Faults.TooManyRequestsRate = v, "must lie between 0 and 1");
        Read("Faults:ServiceUnavailableRate", Number, v => options.Faults.ServiceUnavailableRate = v, "must lie between 0 and 1");
        Read("Faults:EnforceTwilioRateLimits", bool.Parse, v => options.Faults.EnforceTwilioRateLimits = v, "must be true or false");
        Read("ClientProtocol:MaxQueuedFramesPerConnection", s => int.Parse(s, CultureInfo.InvariantCulture),
            v => options.ClientProtocol.MaxQueuedFramesPerConnection = v, "must be a whole number, at least 1");
        Read("ClientProtocol:DropConnectionsEvery", Time, v => options.ClientProtocol.DropConnectionsEvery = v,
            "must be a TimeSpan (00:00:20) more than zero");
        Read("ClientProtocol:MaxConnectionsPerIdentity", s => int.Parse(s, CultureInfo.InvariantCulture),
            v => options.ClientProtocol.MaxConnectionsPerIdentity = v, "must be a whole number, at least 1");
        Read("ClientProtocol:MaxConnectionsPerAddress", s => int.Parse(s, CultureInfo.InvariantCulture),
            v => options.ClientProtocol.MaxConnectionsPerAddress = v, "must be a whole number, at least 1");
        Read("ClientProtocol:FrameReadTimeout", Time, v => options.ClientProtocol.FrameReadTimeout = v,
            "must be a TimeSpan (00:00:30) more than zero");
        Read("SeedFile", Path.GetFullPath, v => options.SeedFile = v, "must be a file's path");
        Read("SnapshotOnExit", v => v, v => options.SnapshotOnExit = v, "must be a snapshot's name");
        Read("AllowRemoteClients", bool.Parse, v => options.AllowRemoteClients = v, "must be true or false");
        foreach (var origin in section.GetSection("AllowedOrigins").GetChildren().Select(c => c.Value).OfType<string>())
        {
            options.AllowedOrigins.Add(origin);
        }

        if (refused.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ConversationsEmulatorOptions), refused);
        }
    }
}
