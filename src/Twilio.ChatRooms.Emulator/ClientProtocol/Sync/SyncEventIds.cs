using System.Collections.Concurrent;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// Sync's event ids. The SDK drops an item event whose id is not above the id it holds for that item (twilio-sync
/// <c>itemsCache.js isKnown</c>), so every object and item carries the id of the last event that touched it, and ids
/// only grow. They are counted from the start time in microseconds, so ids after a restart are above any handed out
/// before it; an object or item not touched since the start reads as that base.
/// </summary>
internal sealed class SyncEventIds(TimeProvider time)
{
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
