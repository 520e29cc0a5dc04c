using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// Delivers the recorded post-event webhooks, off the write path: each lane (one URL and one conversation, or one user)
/// sends one at a time, in the order the changes were made, and lanes do not wait for each other, so a slow or dead
/// receiver holds up only its own lane and never a chat. A delivery is removed from the store once it got a 2xx or was
/// given up: by one background flusher, in one write for every delivery finished since its last, so the lanes never
/// wait for a commit (with a data directory each is a durable SQLite commit). One a restart interrupted, or one answered
/// but not yet flushed at a crash, is sent again (same idempotency token): at least once, as Twilio delivers. Retries
/// follow Twilio's default for webhooks: one more attempt after a failed connection; an answer that is not 2xx, or none
/// within 5 seconds, is not retried.
/// </summary>
internal sealed class WebhookDispatcher(IServiceProvider services, WebhookSender sender, WebhookDeliveryLog log, ILogger<WebhookDispatcher> logger)
    : IChangeListener, IHostedService, IDisposable
{
    /// <summary>Attempts after the first, on a failed connection only.</summary>
    public const int ConnectRetries = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<(WebhookDeliveryRecord Delivery, ActivityContext Cause)>> _lanes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<WebhookDeliveryEntry> _finished = [];
    private readonly TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;
    private Thread? _flusher;
    private bool _started;

    private EmulatorStore Store => services.GetRequiredService<EmulatorStore>();

    /// <summary>Called inside the store's lock, in commit order: queues, never blocks.</summary>
    public void Committed(EmulatorEvent change)
    {
        if (change is WebhooksQueued queued && _started)
        {
            foreach (var delivery in queued.Deliveries)
            {
                Enqueue(delivery);
            }
        }
    }

    /// <summary>Queues what the store holds pending (from before a restart), then every new delivery as it commits.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Inside the store's lock, so no write commits between reading what is pending and taking new deliveries.
        Store.Read(s =>
        {
            foreach (var delivery in s.WebhookDeliveries.Pending)
            {
                Enqueue(delivery);
            }

            _started = true;
            return 0;
        });
        // A thread of its own: each flush blocks on a commit (a disk sync with a data directory), which on a thread-pool
        // thread would starve the lanes' continuations on a small machine.
        _flusher = new Thread(Flush) { IsBackground = true, Name = "Webhook flusher" };
        _flusher.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops the lanes, then removes what they finished before (so a clean stop sends none of it again).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Close();
        if (_flusher is not null)
        {
            await _flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Registered under three services, so disposed more than once: cancelling is all it does (the source is never
    // disposed, lanes still read its token), and ending the flusher if no stop did.
    public void Dispose()
    {
        _stopping.Cancel();
        Close();
    }

    /// <summary>Queues a delivery on its lane, with the span current now (the committing write's) as its cause.</summary>
    private void Enqueue(WebhookDeliveryRecord delivery)
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
                if (!lane.TryPeek(out next!) || _stopping.IsCancellationRequested)
                {
                    _lanes.Remove(key);
                    return;
                }
            }

            try
            {
                await DeliverAsync(next.Delivery, next.Cause).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
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

    private async Task DeliverAsync(WebhookDeliveryRecord delivery, ActivityContext cause)
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
            var attempt = await sender.SendAsync(delivery.Url, delivery.Method, delivery.Sid, payload, _stopping.Token).ConfigureAwait(false);
            var again = !attempt.Succeeded && attempt.ConnectFailed && retry < ConnectRetries;
            var outcome = attempt.Succeeded ? "delivered" : again ? "retrying" : "failed";
            EmulatorTelemetry.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("chatrooms.webhook.outcome", outcome),
                new KeyValuePair<string, object?>("chatrooms.webhook.event_type", delivery.EventType));
            var entry = new WebhookDeliveryEntry(delivery.Sid, delivery.EventType, delivery.Url, delivery.Method, retry + 1, outcome, attempt.Status,
                attempt.Duration, attempt.Error, payload, attempt.Response, DateTimeOffset.UtcNow);
            if (again)
            {
                Report(entry);
            }
            else
            {
                // Done with it: the flusher takes it out of the store and only then reports it, so what the list shows
                // done is never sent again; the lane goes on without waiting for that write.
                _stopping.Token.ThrowIfCancellationRequested();
                Finished(entry);
            }

            if (!again)
            {
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

    /// <summary>Hands a finished delivery to the flusher; once stopped, it stays pending and goes out again after a restart.</summary>
    private void Finished(WebhookDeliveryEntry entry)
    {
        lock (_finished)
        {
            if (_closed)
            {
                return;
            }

            _finished.Add(entry);
            if (_finished.Count == 1)
            {
                Monitor.Pulse(_finished);
            }
        }
    }

    private void Close()
    {
        lock (_finished)
        {
            _closed = true;
            Monitor.Pulse(_finished);
        }
    }

    /// <summary>
    /// The flusher: removes the finished deliveries from the store, each time all those finished since its last write in
    /// one write, then reports them. Ends once closed, after the last of them.
    /// </summary>
    private void Flush()
    {
        try
        {
            var batch = new List<WebhookDeliveryEntry>();
            while (true)
            {
                lock (_finished)
                {
                    while (_finished.Count == 0 && !_closed)
                    {
                        Monitor.Wait(_finished);
                    }

                    if (_finished.Count == 0)
                    {
                        return;
                    }

                    batch.AddRange(_finished);
                    _finished.Clear();
                }

                Remove(batch);
                batch.Clear();
            }
        }
        finally
        {
            _flushed.TrySetResult();
        }
    }

    private void Remove(List<WebhookDeliveryEntry> batch)
    {
        try
        {
            Store.Write(s =>
            {
                foreach (var entry in batch)
                {
                    if (s.WebhookDeliveries.Find(entry.Sid) is { } pending)
                    {
                        s.WebhookDeliveries.Remove(pending);
                    }
                }

                return 0;
            });
        }
#pragma warning disable CA1031 // a write that failed leaves them pending, sent again after a restart; the flusher goes on
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var entry in batch)
            {
                Log.WebhookFailed(logger, entry.EventType, entry.Url, e);
            }

            return;
        }

        foreach (var entry in batch)
        {
            Report(entry);
        }
    }

    private void Report(WebhookDeliveryEntry entry)
    {
        log.Add(entry);
        var answer = entry.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? entry.Error ?? "";
        Log.WebhookDelivery(logger, entry.EventType, entry.Method, entry.Url, entry.Outcome, answer, (long)entry.Duration.TotalMilliseconds, entry.Attempt);
    }
}
