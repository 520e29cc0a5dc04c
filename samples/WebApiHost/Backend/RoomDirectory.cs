using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace WebApiHost.Backend;

/// <summary>
/// The live list of every room, for browsers watching it. Neither Twilio nor the admin console tells this host when a
/// room is created or deleted, so the list is read every <see cref="ChatOptions.RoomDirectoryRefreshInterval"/> — by
/// one shared loop that runs only while somebody watches, however many browsers do.
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
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody watches any more, or the host stops.
        }
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
