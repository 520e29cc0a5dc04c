namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// The timed side of one connection: a ping every <see cref="TwilsockOptions.PingInterval"/>, and for the token in use
/// a warning <see cref="TwilsockOptions.TokenAboutToExpireLead"/> before it expires and the end when it has. A renewed
/// token moves both token timers; the ping runs from the first token on.
/// </summary>
internal sealed class TwilsockClock(TimeProvider time, TwilsockOptions options, Action ping, Action aboutToExpire, Action expired) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _aboutToExpire;
    private ITimer? _expired;
    private ITimer? _ping;

    /// <summary>Times the warning and the end for a token that expires at <paramref name="expiresAt"/>.</summary>
    public void Track(DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            StopTokenTimers();
            var left = expiresAt - time.GetUtcNow();
            var warnIn = left - options.TokenAboutToExpireLead;
            _aboutToExpire = time.CreateTimer(_ => aboutToExpire(), null, Max(warnIn, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            _expired = time.CreateTimer(_ => expired(), null, Max(left, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            _ping ??= time.CreateTimer(_ => ping(), null, options.PingInterval, options.PingInterval);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            StopTokenTimers();
            _ping?.Dispose();
            _ping = null;
        }
    }

    private void StopTokenTimers()
    {
        _aboutToExpire?.Dispose();
        _expired?.Dispose();
        _aboutToExpire = null;
        _expired = null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
