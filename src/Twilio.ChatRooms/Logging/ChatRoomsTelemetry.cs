using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Twilio.ChatRooms;

/// <summary>
/// The library's traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named after the
/// assembly (<c>Twilio.ChatRooms</c>), with System.Diagnostics only: the application decides whether and where they go
/// (OpenTelemetry's <c>AddSource("Twilio.ChatRooms")</c> and <c>AddMeter("Twilio.ChatRooms")</c>), and nothing is
/// recorded when nobody listens. Tags carry SIDs, routes and statuses: never a credential, a token, a phone number or a
/// message body.
/// </summary>
internal static class ChatRoomsTelemetry
{
    public const string Name = "Twilio.ChatRooms";

    /// <summary>OpenTelemetry's <c>messaging.system</c> for Twilio Conversations.</summary>
    public const string MessagingSystem = "twilio_conversations";

    public static readonly ActivitySource Source = new(Name, Version());

    public static readonly Meter Meter = new(Name, Version());

    /// <summary>How long each call to Twilio took, retries included.</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "chatrooms.twilio.request.duration", "s", "How long each call to Twilio (or the emulator) took, retries included.");

    /// <summary>Whether <paramref name="value"/> is a conversation SID (<c>CH</c> and 32 hex digits), not a unique name.</summary>
    public static bool IsConversationSid(string? value) =>
        value is { Length: 34 } && value.StartsWith("CH", StringComparison.Ordinal) && value.Skip(2).All(char.IsAsciiHexDigit);

    private static string Version() =>
        typeof(ChatRoomsTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
