using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// Where the Sync events are built and sent: serial lanes, one thread each, one per core. The work for one Sync object
/// always goes to the same lane, so an object's events keep their commit order, and a subscription to it, queued on
/// its lane, falls between them; different objects' events go out side by side. Threads of their own: one worker on
/// the thread pool waited behind every connection's sends; 256 lanes run on the pool (queued on the committing
/// thread's own queue), and 16 lane threads, measured no better than these, within the noise (docs/benchmarks.md).
/// A lane waits with <see cref="Monitor.Wait(object)"/>, which blocks at once: a wait that spins first costs a core's
/// time after every event when events come a few milliseconds apart.
/// </summary>
internal sealed class FanoutLanes : IDisposable
{
    private readonly Lane[] _lanes;

    // The span of the write whose events a lane is sending now (its thread's own), so that the fan-out continues its trace.
    [ThreadStatic]
    private static ActivityContext t_cause;

    /// <summary>On a lane, the trace context of the write (a REST or twilsock request) that queued the work running now.</summary>
    public static ActivityContext Cause => t_cause;

    public FanoutLanes(ILogger logger)
    {
        _lanes = new Lane[Math.Clamp(Environment.ProcessorCount, 1, 8)];
        for (var i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = new Lane(logger, i);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the lane of <paramref name="objectSid"/>, after what was queued there before, with
    /// the span current now (the committing write's) as its <see cref="Cause"/>.
    /// </summary>
    public void Queue(string objectSid, Action work) =>
        _lanes[(uint)StringComparer.Ordinal.GetHashCode(objectSid) % (uint)_lanes.Length].Queue(work, Activity.Current?.Context ?? default);

    /// <summary>Lets every lane finish what is queued, for a while, and stops them.</summary>
    public void Dispose()
    {
        foreach (var lane in _lanes)
        {
            lane.Stop();
        }

        foreach (var lane in _lanes)
        {
            lane.Join(TimeSpan.FromSeconds(5));
        }
    }

    private sealed class Lane
    {
        private readonly Queue<(Action Work, ActivityContext Cause)> _work = new();
        private readonly Thread _thread;
        private readonly ILogger _logger;
        private bool _stopping;

        public Lane(ILogger logger, int number)
        {
            _logger = logger;
            _thread = new Thread(Run) { IsBackground = true, Name = $"Sync fan-out {number}" };
            _thread.Start();
        }

        public void Queue(Action work, ActivityContext cause)
        {
            lock (_work)
            {
                if (_stopping)
                {
                    return; // the emulator is stopping: nobody is left to send to
                }

                _work.Enqueue((work, cause));
                if (_work.Count == 1)
                {
                    Monitor.Pulse(_work);
                }
            }
        }

        public void Stop()
        {
            lock (_work)
            {
                _stopping = true;
                Monitor.Pulse(_work);
            }
        }

        public void Join(TimeSpan timeout) => _thread.Join(timeout);

        private void Run()
        {
            Activity.Current = null; // the thread inherited whatever span was current when the lanes were made
            while (true)
            {
                (Action Work, ActivityContext Cause) next;
                lock (_work)
                {
                    while (_work.Count == 0 && !_stopping)
                    {
                        Monitor.Wait(_work);
                    }

                    if (!_work.TryDequeue(out next))
                    {
                        return; // stopping, and everything queued before it is done
                    }
                }

                try
                {
                    t_cause = next.Cause;
                    next.Work();
                }
                catch (ObjectDisposedException)
                {
                    // the store closed while the emulator stops
                }
                catch (Exception e)
                {
                    // One event or subscription that cannot be served must not stop every later one.
                    Log.FanoutFailed(_logger, e);
                }
                finally
                {
                    t_cause = default;
                }
            }
        }
    }
}
