using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace WebApiHost.Backend;

/// <summary>
/// The live list of every room, for browsers watching it, read by one shared loop that runs only while somebody
/// watches, however many browsers do. When the service's webhooks reach this host (<c>Webhooks/WebhookRegistration</c>)
/// the list is read again only when a room is added, changed or removed (<see cref="RequestRefresh"/>); otherwise every
/// <see cref="ChatOptions.RoomDirectoryRefreshInterval"/>.
/// </summary>
internal sealed class RoomDirectory(
    IChatRoomAdmin admin,
    IOptions<ChatOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<RoomDirectory> logger)
{
    private readonly Lock _gate = new();
    private int _watchers;
    private CancellationTokenSource? _stopPolling;
    private IReadOnlyList<ChatRoom>? _current;
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _refreshAsked = NewSignal();
    private volatile bool _pushed;

    /// <summary>From now on the list is read when <see cref="RequestRefresh"/> says it changed, not on a timer.</summary>
    public void UsePushedChanges()
    {
        _pushed = true;
        RequestRefresh();
    }

    /// <summary>The room list changed (a webhook said so): read it again now, if anybody watches.</summary>
    public void RequestRefresh()
    {
        lock (_gate)
        {
            _refreshAsked.TrySetResult();
        }
    }

    /// <summary>The current list as soon as it is known, then each changed list, until cancelled or the host stops.</summary>
    public async IAsyncEnumerable<IReadOnlyList<ChatRoom>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // An open stream must not hold up the host's shutdown.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        AddWatcher();
        try
        {
            IReadOnlyList<ChatRoom>? sent = null;
            while (!watching.IsCancellationRequested)
            {
                Task changed;
                IReadOnlyList<ChatRoom>? current;
                lock (_gate)
                {
                    changed = _changed.Task;
                    current = _current;
                }

                if (current is not null && !ReferenceEquals(current, sent))
                {
                    sent = current;
                    yield return current;
                }

                try
                {
                    await changed.WaitAsync(watching.Token);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
        finally
        {
            RemoveWatcher();
        }
    }

    private void AddWatcher()
    {
        lock (_gate)
        {
            if (++_watchers == 1)
            {
                _stopPolling = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
                _ = PollAsync(_stopPolling.Token);
            }
        }
    }

    private void RemoveWatcher()
    {
        lock (_gate)
        {
            if (--_watchers == 0)
            {
                _stopPolling?.Cancel();
                _stopPolling?.Dispose();
                _stopPolling = null;
                _current = null;   // stale once nobody polls: the next watcher waits for a fresh read
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.RoomDirectoryRefreshInterval, timeProvider);
        try
        {
            do
            {
                try
                {
                    var rooms = await admin.ListRoomsAsync(cancellationToken).ToListAsync(cancellationToken);
                    Publish(rooms, cancellationToken);
                }
                catch (ChatRoomsException e)
                {
                    // Keep the last list; the next tick tries again.
                    Log.RoomDirectoryReadFailed(logger, e.Kind.ToString(), e.Status, e.TwilioCode);
                }
            }
            while (await NextReadAsync(timer, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody watches any more, or the host stops.
        }
    }

    /// <summary>Waits until the list should be read again: a change pushed by a webhook, or the next tick when polling.</summary>
    private async Task<bool> NextReadAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        if (_pushed)
        {
            Task asked;
            lock (_gate)
            {
                asked = _refreshAsked.Task;
            }

            await asked.WaitAsync(cancellationToken);
            lock (_gate)
            {
                // Asked again before the read below starts: that read answers it too.
                if (_refreshAsked.Task.IsCompleted)
                {
                    _refreshAsked = NewSignal();
                }
            }

            return true;
        }

        return await timer.WaitForNextTickAsync(cancellationToken);
    }

    private void Publish(List<ChatRoom> rooms, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested || (_current is not null && _current.SequenceEqual(rooms)))
            {
                return;
            }

            _current = rooms;
            changed = _changed;
            _changed = NewSignal();
        }

        changed.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
