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
    private readonly ConcurrentDictionary<string, long> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Object, string Item), long> _items = new();
    private readonly long _base = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private long _last = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>The id of a new event on an object (and one of its items, when given).</summary>
    public long Next(string objectSid, string? itemKey = null)
    {
        var id = Interlocked.Increment(ref _last);
        _objects[objectSid] = id;
        if (itemKey is not null)
        {
            _items[(objectSid, itemKey)] = id;
        }

        return id;
    }

    public long OfObject(string objectSid) => _objects.GetValueOrDefault(objectSid, _base);

    public long OfItem(string objectSid, string itemKey) => _items.GetValueOrDefault((objectSid, itemKey), _base);
}
