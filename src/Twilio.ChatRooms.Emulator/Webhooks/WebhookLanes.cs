using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// The delivery lanes: one queue per lane (one URL and one conversation, or one user), drained by a task of its own
/// while it holds deliveries, one at a time and in the order they were queued. A lane that waits (a slow or dead
/// receiver) holds up only itself: queueing never blocks and never looks at another lane. Once
/// <paramref name="stopping"/> fires, each lane stops after the delivery it is on; what is queued stays pending in the
/// store, for the next start.
/// </summary>
internal sealed class WebhookLanes(Func<WebhookDeliveryRecord, ActivityContext, CancellationToken, Task> deliver, ILogger logger, CancellationToken stopping)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<(WebhookDeliveryRecord Delivery, ActivityContext Cause)>> _lanes = new(StringComparer.Ordinal);

    /// <summary>Queues a delivery on its lane, with the span current now (the committing write's) as its cause.</summary>
    public void Enqueue(WebhookDeliveryRecord delivery)
    {
        var cause = Activity.Current?.Context ?? default;
        lock (_gate)
        {
            if (_lanes.TryGetValue(delivery.Lane, out var lane))
            {
                lane.Enqueue((delivery, cause));
                return;
            }

            lane = new Queue<(WebhookDeliveryRecord, ActivityContext)>();
            lane.Enqueue((delivery, cause));
            _lanes[delivery.Lane] = lane;
            _ = Task.Run(() => DrainAsync(delivery.Lane, lane));
        }
    }

    private async Task DrainAsync(string key, Queue<(WebhookDeliveryRecord Delivery, ActivityContext Cause)> lane)
    {
        while (true)
        {
            (WebhookDeliveryRecord Delivery, ActivityContext Cause) next;
            lock (_gate)
            {
                if (!lane.TryPeek(out next!) || stopping.IsCancellationRequested)
                {
                    _lanes.Remove(key);
                    return;
                }
            }

            try
            {
                await deliver(next.Delivery, next.Cause, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: what is not delivered stays pending in the store, for the next start.
            }
#pragma warning disable CA1031 // one delivery's failure must not stop its lane
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.WebhookFailed(logger, next.Delivery.EventType, next.Delivery.Url, e);
            }

            lock (_gate)
            {
                lane.Dequeue();
            }
        }
    }
}
