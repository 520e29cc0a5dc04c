namespace Twilio.ChatRooms.Emulator;

/// <summary>
/// Faults the emulator injects into each request before it is handled: first latency, then 429 or 503 answers.
/// All settings are off by default and can be changed at run time from any thread.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly Lock _gate = new();
    private double _tooManyRequestsRate;
    private double _serviceUnavailableRate;
    private TimeSpan _latency;
    private double _latencyJitter;
    private int _failNext429;
    private int _failNext503;
    private bool _enforceTwilioRateLimits;

    /// <summary>The share of requests (0 to 1) answered 429 with code 20429 and <c>Retry-After: 1</c>.</summary>
    public double TooManyRequestsRate
    {
        get { lock (_gate) { return _tooManyRequestsRate; } }
        set { var v = Rate(value); lock (_gate) { _tooManyRequestsRate = v; } }
    }

    /// <summary>The share of requests (0 to 1) answered 503 with code 20503.</summary>
    public double ServiceUnavailableRate
    {
        get { lock (_gate) { return _serviceUnavailableRate; } }
        set { var v = Rate(value); lock (_gate) { _serviceUnavailableRate = v; } }
    }

    /// <summary>The delay added to every request.</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _latency = value; }
        }
    }

    /// <summary>How much the latency varies, as a fraction of <see cref="Latency"/> (0.1 means ±10 %).</summary>
    public double LatencyJitter
    {
        get { lock (_gate) { return _latencyJitter; } }
        set { var v = Rate(value); lock (_gate) { _latencyJitter = v; } }
    }

    /// <summary>The number of next requests answered 429, whatever the rates say.</summary>
    public int FailNextRequests429
    {
        get { lock (_gate) { return _failNext429; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate) { _failNext429 = value; }
        }
    }

    /// <summary>The number of next requests answered 503, whatever the rates say.</summary>
    public int FailNextRequests503
    {
        get { lock (_gate) { return _failNext503; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate) { _failNext503 = value; }
        }
    }

    /// <summary>
    /// Whether to apply Twilio's documented rate limits: 30 message and participant writes per second per conversation,
    /// 30 conversation creates and deletes and 30 user writes per second per service. Beyond them: 429, code 20429.
    /// Off by default.
    /// </summary>
    public bool EnforceTwilioRateLimits
    {
        get { lock (_gate) { return _enforceTwilioRateLimits; } }
        set { lock (_gate) { _enforceTwilioRateLimits = value; } }
    }

    /// <summary>Decides the fault for one request: its delay and the status to answer with, 0 for none.</summary>
    internal (TimeSpan Delay, int Status) Next(Random random)
    {
        lock (_gate)
        {
            var delay = _latency;
            if (delay > TimeSpan.Zero && _latencyJitter > 0)
            {
                var factor = 1 + ((random.NextDouble() * 2) - 1) * _latencyJitter;
                delay = TimeSpan.FromTicks((long)(delay.Ticks * Math.Max(0, factor)));
            }

            if (_failNext429 > 0)
            {
                _failNext429--;
                return (delay, 429);
            }

            if (_failNext503 > 0)
            {
                _failNext503--;
                return (delay, 503);
            }

            if (_tooManyRequestsRate > 0 && random.NextDouble() < _tooManyRequestsRate)
            {
                return (delay, 429);
            }

            if (_serviceUnavailableRate > 0 && random.NextDouble() < _serviceUnavailableRate)
            {
                return (delay, 503);
            }

            return (delay, 0);
        }
    }

    private static double Rate(double value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 0d);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1d);
        return value;
    }
}
