using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// Delivers the recorded post-event webhooks, off the write path: it queues each committed delivery on its lane
/// (<see cref="WebhookLanes"/>: one URL and one conversation, or one user, one at a time in the order the changes were
/// made, lanes not waiting for each other, so a slow or dead receiver holds up only its own lane and never a chat), sends
/// it (<see cref="WebhookAttempts"/>: signed, Twilio's timeout and retries), and hands it once finished to the
/// <see cref="WebhookFlusher"/>, which takes it out of the store in a batched write and only then lists and logs it.
/// One a restart interrupted, or one answered but not yet flushed at a crash, is sent again (same idempotency token):
/// at least once, as Twilio delivers.
/// </summary>
internal sealed class WebhookDispatcher : IChangeListener, IHostedService, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly WebhookDeliveryLog _log;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly WebhookLanes _lanes;
    private readonly WebhookFlusher _flusher;
    private readonly CancellationTokenSource _stopping = new();
    private bool _started;

    public WebhookDispatcher(IServiceProvider services, WebhookSender sender, WebhookDeliveryLog log, ILogger<WebhookDispatcher> logger)
    {
        _services = services;
        _log = log;
        _logger = logger;
        _flusher = new WebhookFlusher(() => Store, Report, logger);
        var delivery = new WebhookAttempts(sender, Report, _flusher.Finished);
        _lanes = new WebhookLanes(delivery.DeliverAsync, logger, _stopping.Token);
    }

    private EmulatorStore Store => _services.GetRequiredService<EmulatorStore>();

    /// <summary>Called inside the store's lock, in commit order: queues, never blocks.</summary>
    public void Committed(EmulatorEvent change)
    {
        if (change is WebhooksQueued queued && _started)
        {
            foreach (var delivery in queued.Deliveries)
            {
                _lanes.Enqueue(delivery);
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
                _lanes.Enqueue(delivery);
            }

            _started = true;
            return 0;
        });
        _flusher.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops the lanes, then removes what they finished before (so a clean stop sends none of it again).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _flusher.Close();
        await _flusher.Flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Registered under three services, so disposed more than once: cancelling is all it does (the source is never
    // disposed, lanes still read its token), and ending the flusher if no stop did.
    public void Dispose()
    {
        _stopping.Cancel();
        _flusher.Close();
    }

    private void Report(WebhookDeliveryEntry entry)
    {
        _log.Add(entry);
        var answer = entry.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? entry.Error ?? "";
        Log.WebhookDelivery(_logger, entry.EventType, entry.Method, entry.Url, entry.Outcome, answer, (long)entry.Duration.TotalMilliseconds, entry.Attempt);
    }
}
