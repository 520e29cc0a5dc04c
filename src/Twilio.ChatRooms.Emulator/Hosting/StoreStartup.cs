using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.Hosting;

/// <summary>
/// Opens the store (locks the data directory, checks and loads the database, seeds the default service) while the host
/// is starting, before any server binds a port: a directory or database the emulator cannot use stops the start with
/// <see cref="EmulatorStorageException"/>, and nothing has been served.
/// </summary>
internal sealed class StoreStartup(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        services.GetService(typeof(ServiceRules));
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The health check <c>conversations-emulator-store</c>: unhealthy while writes cannot be made durable (a full disk, a
/// file made read-only), found by a small write now; healthy again once writes succeed.
/// </summary>
internal sealed class StoreHealthCheck(EmulatorStore store) : IHealthCheck
{
    public const string Name = "conversations-emulator-store";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Health() is { } failure
            ? HealthCheckResult.Unhealthy(TwilioErrors.StoreFailing(failure).Message)
            : HealthCheckResult.Healthy());
}
