using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// Where a store keeps the state durably: the SQLite file of a data directory, or nowhere (memory only). Called only
/// inside the store's lock.
/// </summary>
internal interface IStatePersistence : IDisposable
{
    /// <summary>Loads every stored record into <paramref name="state"/> (an empty state).</summary>
    void Load(EmulatorState state);

    /// <summary>Makes one write's changes durable, all or none; throws when it cannot.</summary>
    void Commit(IReadOnlyList<StateChange> changes);

    /// <summary>Null when a write would be made durable now, else why not.</summary>
    string? Probe();
}

/// <summary>
/// The one way to read and change the emulator's state. Each read or write runs as one atomic unit under one lock. A
/// write is made durable before its lock is released, and a write that throws (a Twilio error, or a persistence that
/// cannot commit) is undone in memory, so no one ever sees a change that is not durable. Once committed, the write's
/// events go to every <see cref="IChangeListener"/>, in commit order.
/// </summary>
internal sealed class EmulatorStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly EmulatorState _state = new();
    private readonly IStatePersistence _persistence;
    private readonly IChangeListener[] _listeners;
    private readonly IEventRecorder[] _recorders;
    private readonly ILogger<EmulatorStore> _logger;
    private bool _disposed;
    private string? _defaultServiceSid;

    public EmulatorStore(IStatePersistence persistence, IEnumerable<IChangeListener> listeners, ILogger<EmulatorStore> logger,
        IEnumerable<IEventRecorder>? recorders = null)
    {
        _persistence = persistence;
        _listeners = [.. listeners];
        _recorders = [.. recorders ?? []];
        _logger = logger;
        persistence.Load(_state);
    }

    /// <summary>The SID of the default service (the first created).</summary>
    /// <remarks>Services are never deleted, so once seeded it is kept without taking the lock again.</remarks>
    public string DefaultServiceSid => _defaultServiceSid ??=
        Read(s => s.Services.Default?.Sid) ?? throw new InvalidOperationException("The default service is created at start");

    public T Read<T>(Func<EmulatorState, T> read)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return read(_state);
        }
    }

    public T Write<T>(Func<EmulatorState, T> write)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var work = _state.Begin();
            try
            {
                T result;
                try
                {
                    result = write(_state);
                    if (work.Events.Count > 0)
                    {
                        var events = work.Events.ToArray();
                        var changes = work.Changes.ToArray();
                        foreach (var recorder in _recorders)
                        {
                            recorder.Record(_state, events, changes, work.Origin);
                        }
                    }
                }
                catch
                {
                    _state.Rollback(work);
                    throw;
                }

                Commit(work);
                foreach (var change in work.Events)
                {
                    foreach (var listener in _listeners)
                    {
                        listener.Committed(change);
                    }
                }

                return result;
            }
            finally
            {
                _state.End();
            }
        }
    }

    /// <summary>Null when writes are made durable, else why not (the persistence is tried now).</summary>
    public string? Health()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _persistence.Probe();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _persistence.Dispose();
        }
    }

    private void Commit(UnitOfWork work)
    {
        if (work.Changes.Count == 0)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _persistence.Commit(work.Changes);
            EmulatorTelemetry.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
#pragma warning disable CA1031 // whatever the persistence throws, the write did not happen: undo it and say so
        catch (Exception e)
#pragma warning restore CA1031
        {
            _state.Rollback(work);
            Log.WriteFailed(_logger, e.Message, e);
            throw TwilioErrors.StoreFailed(e.Message);
        }
    }
}

/// <summary>Keeps nothing: the state lives in memory as long as the emulator.</summary>
internal sealed class NoPersistence : IStatePersistence
{
    public void Load(EmulatorState state)
    {
    }

    public void Commit(IReadOnlyList<StateChange> changes)
    {
    }

    public string? Probe() => null;

    public void Dispose()
    {
    }
}
