using System.Collections.Concurrent;
using System.Globalization;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// Sync's event ids. The SDK drops an item event whose id is not above the id it holds for that item (twilio-sync
/// <c>itemsCache.js isKnown</c>), so every object and item carries the id of the last event that touched it, and ids
/// only grow. They are counted from the start time in microseconds, so ids after a restart are above any handed out
/// before it; an object or item not touched since the start reads as that base. A removed item leaves a tombstone
/// (the last <see cref="TombstonesPerObject"/> per object, in memory), so a client that was offline is told of it.
/// </summary>
internal sealed class SyncEventIds(TimeProvider time)
{
    /// <summary>How many removals each object remembers for replay; a client further behind misses the older ones.</summary>
    public const int TombstonesPerObject = 1000;

    private readonly ConcurrentDictionary<string, Queue<SyncRemoval>> _removals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ObjectIds> _objects = new(StringComparer.Ordinal);
    private readonly long _base = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private long _last = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>The id of a new event on an object itself (a document).</summary>
    public long Next(string objectSid) => Touch(objectSid).Id;

    /// <summary>The id of a new event on a map's item.</summary>
    public long Next(string objectSid, string itemKey)
    {
        var (ids, id) = Touch(objectSid);
        ids.Keyed[itemKey] = id;
        return id;
    }

    /// <summary>The id of a new event on a list's item.</summary>
    public long Next(string objectSid, int itemIndex)
    {
        var (ids, id) = Touch(objectSid);
        ids.SetIndexed(itemIndex, id);
        return id;
    }

    /// <summary>The id of a map item's removal, remembered for <see cref="RemovedSince"/>.</summary>
    public long NextRemoval(string objectSid, string itemKey)
    {
        var (ids, id) = Touch(objectSid);
        ids.Keyed.TryRemove(itemKey, out _);
        return Remember(objectSid, new SyncRemoval(itemKey, null, id));
    }

    /// <summary>The id of a list item's removal, remembered for <see cref="RemovedSince"/>.</summary>
    public long NextRemoval(string objectSid, int itemIndex)
    {
        var (ids, id) = Touch(objectSid);
        ids.SetIndexed(itemIndex, 0);
        return Remember(objectSid, new SyncRemoval(itemIndex.ToString(CultureInfo.InvariantCulture), itemIndex, id));
    }

    /// <summary>The object's remembered removals after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<SyncRemoval> RemovedSince(string objectSid, long since)
    {
        if (!_removals.TryGetValue(objectSid, out var log))
        {
            return [];
        }

        lock (log)
        {
            return log.Where(r => r.EventId > since).ToList();
        }
    }

    public long OfObject(string objectSid) => _objects.TryGetValue(objectSid, out var ids) ? Volatile.Read(ref ids.Last) : _base;

    public long OfItem(string objectSid, string itemKey) =>
        _objects.TryGetValue(objectSid, out var ids) && ids.Keyed.TryGetValue(itemKey, out var id) ? id : _base;

    public long OfItem(string objectSid, int itemIndex) =>
        _objects.TryGetValue(objectSid, out var ids) && ids.OfIndexed(itemIndex) is > 0 and var id ? id : _base;

    /// <summary>
    /// The keys of the object's items whose last event is after <paramref name="since"/> (a list's as index text),
    /// oldest event first; null when <paramref name="since"/> is before this start, so that every item is newer (those
    /// untouched since carry the base).
    /// </summary>
    public IReadOnlyList<string>? ItemsChangedAfter(string objectSid, long since) =>
        since < _base ? null
        : _objects.TryGetValue(objectSid, out var ids) ? ids.ChangedAfter(since)
        : [];

    private (ObjectIds Ids, long Id) Touch(string objectSid)
    {
        var id = Interlocked.Increment(ref _last);
        var ids = _objects.GetOrAdd(objectSid, static _ => new ObjectIds());
        Volatile.Write(ref ids.Last, id);
        return (ids, id);
    }

    private long Remember(string objectSid, SyncRemoval removal)
    {
        var log = _removals.GetOrAdd(objectSid, _ => new Queue<SyncRemoval>());
        lock (log)
        {
            log.Enqueue(removal);
            if (log.Count > TombstonesPerObject)
            {
                log.Dequeue();
            }
        }

        return removal.EventId;
    }

    /// <summary>
    /// One object's ids: a map's items by key; a list's by index in one array (0: no item), so that the id of each of a
    /// conversation's messages, kept for the emulator's life, is not an object of its own (see <c>MessageLog</c>).
    /// </summary>
    private sealed class ObjectIds
    {
        public readonly ConcurrentDictionary<string, long> Keyed = new(StringComparer.Ordinal);
        public long Last;
        private readonly Lock _gate = new();
        private long[] _indexed = [];

        public void SetIndexed(int index, long id)
        {
            lock (_gate)
            {
                if (index >= _indexed.Length)
                {
                    Array.Resize(ref _indexed, Math.Max(Math.Max(16, _indexed.Length * 2), index + 1));
                }

                _indexed[index] = id;
            }
        }

        public long OfIndexed(int index)
        {
            lock (_gate)
            {
                return (uint)index < (uint)_indexed.Length ? _indexed[index] : 0;
            }
        }

        public List<string> ChangedAfter(long since)
        {
            var changed = Keyed.Where(i => i.Value > since).Select(i => (i.Key, Id: i.Value)).ToList();
            lock (_gate)
            {
                for (var i = 0; i < _indexed.Length; i++)
                {
                    if (_indexed[i] > since)
                    {
                        changed.Add((i.ToString(CultureInfo.InvariantCulture), _indexed[i]));
                    }
                }
            }

            return [.. changed.OrderBy(c => c.Id).Select(c => c.Key)];
        }
    }
}

/// <summary>A removed item: its key (a list's index as text), its index (lists) and the id of the removal event.</summary>
internal sealed record SyncRemoval(string Key, long? Index, long EventId);
