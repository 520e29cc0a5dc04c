using System.Collections.Concurrent;

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

    /// <summary>The id of a new event on an object (and one of its items, when given).</summary>
    public long Next(string objectSid, string? itemKey = null)
    {
        var id = Interlocked.Increment(ref _last);
        var ids = _objects.GetOrAdd(objectSid, static _ => new ObjectIds());
        Volatile.Write(ref ids.Last, id);
        if (itemKey is not null)
        {
            ids.Items[itemKey] = id;
        }

        return id;
    }

    /// <summary>The id of an item's removal, remembered for <see cref="RemovedSince"/>.</summary>
    public long NextRemoval(string objectSid, string itemKey, long? index)
    {
        var id = Next(objectSid, itemKey);
        _objects[objectSid].Items.TryRemove(itemKey, out _);
        var log = _removals.GetOrAdd(objectSid, _ => new Queue<SyncRemoval>());
        lock (log)
        {
            log.Enqueue(new SyncRemoval(itemKey, index, id));
            if (log.Count > TombstonesPerObject)
            {
                log.Dequeue();
            }
        }

        return id;
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
        _objects.TryGetValue(objectSid, out var ids) && ids.Items.TryGetValue(itemKey, out var id) ? id : _base;

    /// <summary>
    /// The keys of the object's items whose last event is after <paramref name="since"/>, oldest event first; null when
    /// <paramref name="since"/> is before this start, so that every item is newer (those untouched since carry the base).
    /// </summary>
    public IReadOnlyList<string>? ItemsChangedAfter(string objectSid, long since) =>
        since < _base ? null
        : _objects.TryGetValue(objectSid, out var ids) ? ids.Items.Where(i => i.Value > since).OrderBy(i => i.Value).Select(i => i.Key).ToList()
        : [];

    private sealed class ObjectIds
    {
        public readonly ConcurrentDictionary<string, long> Items = new(StringComparer.Ordinal);
        public long Last;
    }
}

/// <summary>A removed item: its key (a list's index as text), its index (lists) and the id of the removal event.</summary>
internal sealed record SyncRemoval(string Key, long? Index, long EventId);
