using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Twilio.ChatRooms.Emulator;

/// <summary>
/// The emulator's traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named after the
/// assembly (<c>Twilio.ChatRooms.Emulator</c>), with System.Diagnostics only, so that whoever listens (OpenTelemetry in
/// a host, a test's in-memory exporter) decides where they go and nothing is recorded when nobody does. Tags carry
/// SIDs, routes, event types and statuses: never a credential, a token, an address of a participant or a message body.
/// </summary>
internal static class EmulatorTelemetry
{
    public const string Name = "Twilio.ChatRooms.Emulator";

    /// <summary>OpenTelemetry's <c>messaging.system</c> for everything the emulator carries.</summary>
    public const string MessagingSystem = "twilio_conversations";

    public static readonly ActivitySource Source = new(Name, Version());

    public static readonly Meter Meter = new(Name, Version());

    /// <summary>Requests refused before they could act: an address or origin not admitted, credentials or a token refused, a limit reached.</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "chatrooms.emulator.refusals", "{refusal}", "Requests and connections the emulator refused, by reason.");

    /// <summary>Attempts to deliver a post-event webhook, by outcome.</summary>
    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "chatrooms.emulator.webhook.deliveries", "{delivery}", "Attempts to deliver a post-event webhook, by outcome (delivered, retrying, failed).");

    /// <summary>Pre-event webhooks asked before a change, by their answer.</summary>
    public static readonly Counter<long> PreEventAnswers = Meter.CreateCounter<long>(
        "chatrooms.emulator.webhook.pre_event", "{request}", "Pre-event webhooks asked before a change, by answer (allowed, refused, unanswered: allowed).");

    /// <summary>How long making one write durable took, inside the store's lock.</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "chatrooms.emulator.store.commit.duration", "s", "How long the store took to make one write durable (inside its lock).");

    /// <summary>Counts a refusal: <paramref name="reason"/> is one of a few fixed words, <paramref name="face"/> rest, twilsock or mcs.</summary>
    public static void Refused(string reason, string face) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("chatrooms.refusal.reason", reason), new KeyValuePair<string, object?>("chatrooms.face", face));

    /// <summary>The refusal reason of an error status the emulator answers with, or null when it is not a refusal.</summary>
    public static string? RefusalReason(int status) => status switch
    {
        401 => "unauthenticated",
        403 => "forbidden",
        429 => "rate_limited",
        _ => null,
    };

    /// <summary>The conversation SID in a list of path segments (the one after <c>Conversations</c>), if it names one by SID.</summary>
    public static string? ConversationSid(IReadOnlyList<string> segments)
    {
        for (var i = 0; i + 1 < segments.Count; i++)
        {
            if (segments[i] == "Conversations" && IsConversationSid(segments[i + 1]))
            {
                return segments[i + 1];
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="value"/> is a conversation SID (<c>CH</c> and 32 hex digits), not a unique name.</summary>
    public static bool IsConversationSid(string? value) =>
        value is { Length: 34 } && value.StartsWith("CH", StringComparison.Ordinal) && value.Skip(2).All(char.IsAsciiHexDigit);

    /// <summary>
    /// The parent of a request's span: ASP.NET Core's span of the request when someone records it (OpenTelemetry's
    /// ASP.NET Core instrumentation), else the context the caller sent in <c>traceparent</c>/<c>tracestate</c> (ASP.NET
    /// Core's own activity, made for its logs when nobody listens to it, is never exported: a child of it would hang
    /// from a span nobody sees).
    /// </summary>
    public static ActivityContext Parent(string? traceparent, string? tracestate) =>
        Activity.Current is { } current && current.Source.HasListeners() ? current.Context
        : traceparent is not null && ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out var context) ? context
        : Activity.Current?.Context ?? default;

    private static string Version() =>
        typeof(EmulatorTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
