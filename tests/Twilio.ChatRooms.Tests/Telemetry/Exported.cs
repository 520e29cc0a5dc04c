using System.Collections.ObjectModel;

namespace Twilio.ChatRooms.Tests.Telemetry;

/// <summary>
/// What the in-memory exporter exports, safe to read while it adds: spans of other tests running beside a test end and
/// are exported at any moment.
/// </summary>
public sealed class Exported<T> : Collection<T>
{
    private readonly Lock _gate = new();

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (_gate)
        {
            base.InsertItem(index, item);
        }
    }

    protected override void ClearItems()
    {
        lock (_gate)
        {
            base.ClearItems();
        }
    }
}
