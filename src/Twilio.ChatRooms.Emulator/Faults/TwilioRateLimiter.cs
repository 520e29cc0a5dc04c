using System.Collections.Concurrent;

namespace Twilio.ChatRooms.Emulator.Faults;

/// <summary>Counts actions per key over a sliding one-second window, as Twilio's per-second limits do.</summary>
internal sealed class TwilioRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);

    /// <summary>Records one action under <paramref name="key"/>; false when the key is over its limit.</summary>
    public bool TryAcquire(string key)
    {
        var now = time.GetTimestamp();
        var windowStart = now - time.TimestampFrequency;
        var window = _windows.GetOrAdd(key, _ => new Queue<long>());
        lock (window)
        {
            while (window.Count > 0 && window.Peek() <= windowStart)
            {
                window.Dequeue();
            }

            if (window.Count >= TwilioConventions.TwilioLimits.ActionsPerSecond)
            {
                return false;
            }

            window.Enqueue(now);
            return true;
        }
    }
}
