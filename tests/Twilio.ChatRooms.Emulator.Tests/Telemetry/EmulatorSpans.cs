using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Twilio.ChatRooms.Emulator.Tests.Telemetry;

/// <summary>The emulator's spans as they end, recorded through OpenTelemetry while the test runs.</summary>
public sealed class EmulatorSpans : IDisposable
{
    private readonly List<Activity> _ended = [];
    private readonly Lock _gate = new();
    private readonly TracerProvider _tracing;

    public EmulatorSpans()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Twilio.ChatRooms.Emulator")
            .AddProcessor(new Collect(this))
            .Build();
    }

    /// <summary>The spans ended so far.</summary>
    public Activity[] Ended()
    {
        lock (_gate)
        {
            return [.. _ended];
        }
    }

    /// <summary>
    /// The spans ended once <paramref name="enough"/> holds for them: a server's span ends a moment after its answer
    /// reaches the client, so a test waits for it rather than reading at once. After a minute (a guard on a hang), the
    /// spans ended by then, for the test's assertions to fail on.
    /// </summary>
    public async Task<Activity[]> WaitForAsync(Func<Activity[], bool> enough)
    {
        var guard = Stopwatch.StartNew();
        while (true)
        {
            var ended = Ended();
            if (enough(ended) || guard.Elapsed > TimeSpan.FromMinutes(1))
            {
                return ended;
            }

            await Task.Delay(10, Ct);
        }
    }

    public void Dispose() => _tracing.Dispose();

    private sealed class Collect(EmulatorSpans owner) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (owner._gate)
            {
                owner._ended.Add(data);
            }
        }
    }
}
