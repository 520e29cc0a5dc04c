using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Faults;

/// <summary>Applies <see cref="EmulatorFaults"/> to one request: waits, then may fail it with 429 or 503.</summary>
internal sealed class FaultInjector
{
    private readonly EmulatorFaults _faults;
    private readonly ILogger<FaultInjector> _logger;

    public FaultInjector(EmulatorFaults faults, ILogger<FaultInjector> logger)
    {
        _faults = faults;
        _logger = logger;
    }

    public bool EnforceTwilioRateLimits => _faults.EnforceTwilioRateLimits;

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var (delay, status) = _faults.Next(Random.Shared);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        switch (status)
        {
            case 429:
                Log.FaultInjected(_logger, status);
                throw TwilioErrors.TooManyRequests();
            case 503:
                Log.FaultInjected(_logger, status);
                throw TwilioErrors.ServiceUnavailable();
            default:
                return;
        }
    }
}
