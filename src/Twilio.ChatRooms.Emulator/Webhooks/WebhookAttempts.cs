using System.Diagnostics;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// Delivers one recorded post-event webhook: its attempts, as Twilio makes them (one more after a failed connection;
/// an answer that is not 2xx, or none within 5 seconds, is not retried), each reported, the last handed to
/// <paramref name="finished"/>; one client span around them, a child of the write that caused it.
/// </summary>
internal sealed class WebhookAttempts(WebhookSender sender, Action<WebhookDeliveryEntry> retrying, Action<WebhookDeliveryEntry> finished)
{
    /// <summary>Attempts after the first, on a failed connection only.</summary>
    public const int ConnectRetries = 1;

    public async Task DeliverAsync(WebhookDeliveryRecord delivery, ActivityContext cause, CancellationToken cancellationToken)
    {
        // One client span per delivery (its attempts inside), a child of the write that caused it; the request carries
        // traceparent, so the receiver's span continues the trace. Never the URL (its query may hold a secret, a GET's
        // holds the payload) nor the payload: the event type, the conversation, the receiver's host and the outcome.
        // The lane's task inherited the span current when it was started (an earlier write's): never a parent here.
        Activity.Current = null;
        using var activity = EmulatorTelemetry.Source.StartActivity(ActivityKind.Client, cause, name: $"webhook {delivery.EventType}");
        if (activity is not null)
        {
            activity.SetTag("messaging.system", EmulatorTelemetry.MessagingSystem);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "webhook");
            activity.SetTag("chatrooms.webhook.event_type", delivery.EventType);
            activity.SetTag("http.request.method", delivery.Method);
            if (delivery.Payload.GetValueOrDefault("ConversationSid") is { } conversation && EmulatorTelemetry.IsConversationSid(conversation))
            {
                activity.SetTag("messaging.destination.name", conversation);
            }

            if (Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url))
            {
                activity.SetTag("server.address", url.Host);
                activity.SetTag("server.port", url.Port);
            }
        }

        for (var retry = 0; ; retry++)
        {
            var payload = new Dictionary<string, string>(delivery.Payload, StringComparer.Ordinal)
            {
                ["RetryCount"] = retry.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var attempt = await sender.SendAsync(delivery.Url, delivery.Method, delivery.Sid, payload, cancellationToken).ConfigureAwait(false);
            var again = !attempt.Succeeded && attempt.ConnectFailed && retry < ConnectRetries;
            var outcome = attempt.Succeeded ? "delivered" : again ? "retrying" : "failed";
            EmulatorTelemetry.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("chatrooms.webhook.outcome", outcome),
                new KeyValuePair<string, object?>("chatrooms.webhook.event_type", delivery.EventType));
            var entry = new WebhookDeliveryEntry(delivery.Sid, delivery.EventType, delivery.Url, delivery.Method, retry + 1, outcome, attempt.Status,
                attempt.Duration, attempt.Error, payload, attempt.Response, DateTimeOffset.UtcNow);
            if (again)
            {
                retrying(entry);
                continue;
            }

            // Done with it: the flusher takes it out of the store and only then reports it, so what the list shows
            // done is never sent again; the lane goes on without waiting for that write.
            cancellationToken.ThrowIfCancellationRequested();
            finished(entry);
            activity?.SetTag("chatrooms.webhook.outcome", outcome);
            activity?.SetTag("chatrooms.webhook.attempts", retry + 1);
            if (attempt.Status is { } status)
            {
                activity?.SetTag("http.response.status_code", status);
            }

            if (!attempt.Succeeded)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            return;
        }
    }
}
