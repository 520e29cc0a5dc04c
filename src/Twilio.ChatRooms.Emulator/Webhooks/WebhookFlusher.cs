using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// Takes finished deliveries (answered, or given up) out of the store: each time, every one finished since its last
/// write, in one write, so no lane waits for a commit (with a data directory each is a durable SQLite commit); only
/// then are they reported (listed and logged), so a delivery listed as done is never sent again. One finished but not
/// yet removed at a crash is sent again after the restart (same idempotency token): at least once, as Twilio delivers.
/// Runs on a thread of its own: each write blocks on its commit (a disk sync), which on a thread-pool thread would
/// starve the lanes' continuations on a small machine.
/// </summary>
internal sealed class WebhookFlusher(Func<EmulatorStore> store, Action<WebhookDeliveryEntry> report, ILogger logger)
{
    /// <summary>
    /// The least time between two writes: what finishes meanwhile joins the next one. Waking this thread for every
    /// delivery (in memory a write is quick, so it was back waiting before the next finished) cost each delivery a
    /// thread switch; a crash loses at most this much more of the answered-but-not-removed (sent again, at least once).
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private readonly List<WebhookDeliveryEntry> _finished = [];
    private readonly TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;
    private Thread? _thread;

    /// <summary>Completes once closed and the last finished delivery was written (at once when never started).</summary>
    public Task Flushed => _thread is null ? Task.CompletedTask : _flushed.Task;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Webhook flusher" };
        _thread.Start();
    }

    /// <summary>Hands a finished delivery over; once closed, it stays pending and goes out again after a restart.</summary>
    public void Finished(WebhookDeliveryEntry entry)
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

    /// <summary>Takes no more; writes what it holds, then ends.</summary>
    public void Close()
    {
        lock (_finished)
        {
            _closed = true;
            Monitor.Pulse(_finished);
        }
    }

    private void Run()
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
                if (!Volatile.Read(ref _closed))
                {
                    Thread.Sleep(Interval);
                }
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
            store().Write(s =>
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
            report(entry);
        }
    }
}
