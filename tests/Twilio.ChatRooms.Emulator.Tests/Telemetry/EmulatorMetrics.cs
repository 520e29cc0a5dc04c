using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Twilio.ChatRooms.Emulator.Tests.Telemetry;

/// <summary>The emulator's meter read through OpenTelemetry's in-memory exporter, one collection per question.</summary>
internal sealed class EmulatorMetrics : IDisposable
{
    private readonly List<MetricSnapshot> _exported = [];
    private readonly MeterProvider _provider;
    private readonly Lock _gate = new();

    public EmulatorMetrics() =>
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter("Twilio.ChatRooms.Emulator").AddInMemoryExporter(_exported).Build();

    /// <summary>The value of the point of <paramref name="name"/> that has every tag of <paramref name="tags"/> (a sum, a gauge's value or a histogram's count); null when there is none.</summary>
    public long? Value(string name, params (string Key, object Value)[] tags)
    {
        lock (_gate)
        {
            _exported.Clear();
            _provider.ForceFlush();
            var metric = _exported.LastOrDefault(m => m.Name == name);
            if (metric is null)
            {
                return null;
            }

            foreach (var point in metric.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))
                {
                    return metric.MetricType switch
                    {
                        MetricType.LongGauge => point.GetGaugeLastValueLong(),
                        MetricType.Histogram => point.GetHistogramCount(),
                        _ => point.GetSumLong(),
                    };
                }
            }

            return null;
        }
    }

    /// <summary>Waits until <paramref name="name"/> reads <paramref name="expected"/> (what the emulator does after a client leaves takes a moment).</summary>
    public async Task WaitForAsync(string name, long expected, params (string Key, object Value)[] tags)
    {
        while (Value(name, tags) != expected)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose() => _provider.Dispose();
}
