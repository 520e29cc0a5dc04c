using Twilio.ChatRooms.Emulator.ClientProtocol;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Inspector;

/// <summary>
/// A version number that grows with every committed change of the store, every client connection opened or closed and
/// every webhook delivery attempt, and a wait for it to grow: what the inspector's page long-polls before it fetches
/// its live part again.
/// </summary>
internal sealed class InspectorChanges : IChangeListener
{
    private readonly Lock _gate = new();
    private long _version;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _awaited; // whether a poll holds _next: with no page open, a change costs a counter only

    public InspectorChanges(ConnectedClients clients, WebhookDeliveryLog deliveries)
    {
        clients.OnChange(Changed);
        deliveries.Added += Changed;
    }

    public long Version
    {
        get { lock (_gate) { return _version; } }
    }

    // Called in the store's lock: only a counter and a completion, never a wait.
    public void Committed(EmulatorEvent change) => Changed();

    /// <summary>
    /// The version once it is past <paramref name="after"/>, or the current one when <paramref name="timeout"/> passes
    /// or <paramref name="cancellationToken"/> fires first (the page then simply asks again).
    /// </summary>
    public async Task<long> WaitPastAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task next;
        lock (_gate)
        {
            if (_version > after)
            {
                return _version;
            }

            next = _next.Task;
            _awaited = true;
        }

        try
        {
            await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Nothing changed in time, or the request or the host ends: answer with what is.
        }

        return Version;
    }

    private void Changed()
    {
        TaskCompletionSource? done = null;
        lock (_gate)
        {
            _version++;
            if (_awaited)
            {
                done = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _awaited = false;
            }
        }

        done?.TrySetResult();
    }
}
