using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebApiHost.Telemetry;

/// <summary>
/// The host's own traces and metrics, named after its assembly (<c>WebApiHost</c>): a span and a count for each webhook
/// it handles. Tags carry event types, SIDs and decisions: never a body, a token or a credential.
/// </summary>
internal static class HostTelemetry
{
    public const string Name = "WebApiHost";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Webhooks handled, by event type and decision.</summary>
    public static readonly Counter<long> Webhooks = Meter.CreateCounter<long>(
        "chatrooms.host.webhooks", "{webhook}", "Webhooks the host handled, by event type and decision (allowed, refused).");
}
