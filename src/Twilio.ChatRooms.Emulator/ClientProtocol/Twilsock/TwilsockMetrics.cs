using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// The connections' metrics, read from the connections themselves when a listener collects (observable instruments on
/// <see cref="EmulatorTelemetry.Meter"/>): how many are connected, how many frames wait in their send queues, and the
/// deepest queue, per conversation service. Every emulator in the process is measured (weakly held: one that is gone
/// is forgotten); its service SIDs tell them apart.
/// </summary>
internal static class TwilsockMetrics
{
    private const string ServiceTag = "chatrooms.service.sid";
    // Each emulator's connections, and the services seen connected: once measured, a service is reported until its
    // emulator is gone (0 when nobody is connected), or a listener would keep its last count.
    private static readonly ConditionalWeakTable<TwilsockSessions, HashSet<string>> Tracked = [];

    // Kept in fields so that they are created once, with the first emulator.
    private static readonly ObservableUpDownCounter<int> Connections = EmulatorTelemetry.Meter.CreateObservableUpDownCounter(
        "chatrooms.emulator.twilsock.connections", () => Measure(s => s.Count), "{connection}",
        "Client connections (twilsock) that finished init, by conversation service.");

    private static readonly ObservableUpDownCounter<int> QueuedFrames = EmulatorTelemetry.Meter.CreateObservableUpDownCounter(
        "chatrooms.emulator.twilsock.queue.frames", () => Measure(s => s.Sum), "{frame}",
        "Frames waiting in the connections' send queues, by conversation service.");

    private static readonly ObservableGauge<int> DeepestQueue = EmulatorTelemetry.Meter.CreateObservableGauge(
        "chatrooms.emulator.twilsock.queue.max_depth", () => Measure(s => s.Max), "{frame}",
        "The deepest send queue of one connection, by conversation service (a client that stops reading is closed when its queue is full).");

    /// <summary>Measures <paramref name="sessions"/> from now on.</summary>
    public static void Track(TwilsockSessions sessions)
    {
        _ = (Connections, QueuedFrames, DeepestQueue);
        Tracked.AddOrUpdate(sessions, new HashSet<string>(StringComparer.Ordinal));
    }

    private static IEnumerable<Measurement<int>> Measure(Func<(int Count, int Sum, int Max), int> pick)
    {
        var byService = new Dictionary<string, (int Count, int Sum, int Max)>(StringComparer.Ordinal);
        foreach (var (sessions, seen) in Tracked)
        {
            lock (seen)
            {
                foreach (var serviceSid in seen)
                {
                    byService.TryAdd(serviceSid, default);
                }
            }

            foreach (var (serviceSid, _, session) in sessions.Listed())
            {
                lock (seen)
                {
                    seen.Add(serviceSid);
                }

                var depth = session.QueuedFrames;
                var (count, sum, max) = byService.GetValueOrDefault(serviceSid);
                byService[serviceSid] = (count + 1, sum + depth, Math.Max(max, depth));
            }
        }

        return [.. byService.Select(s => new Measurement<int>(pick(s.Value), new KeyValuePair<string, object?>(ServiceTag, s.Key)))];
    }
}
