using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator.Admin;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Hosting;

/// <summary>
/// Opens the store (locks the data directory, checks and loads the database, seeds the default service) while the host
/// is starting, before any server binds a port: a directory or database the emulator cannot use stops the start with
/// <see cref="EmulatorStorageException"/>, and nothing has been served. A seed file (<see cref="ConversationsEmulatorOptions.SeedFile"/>)
/// is applied here too, to a state that is still empty.
/// </summary>
internal sealed class StoreStartup(IServiceProvider services, ILogger<StoreStartup> logger) : IHostedLifecycleService
{
    // Resolved at start: by the time the host has stopped, whoever stops it may already be disposing the services.
    private (string Name, SnapshotRules Rules)? _snapshotOnExit;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        services.GetService(typeof(ServiceRules));

        // Bytes no record names (an upload cut off by a crash, a file whose record never committed) and expired
        // unattached files go before anything is served.
        if (services.GetRequiredService<Resources.Media.MediaRules>().Sweep() is > 0 and var swept)
        {
            Log.MediaSwept(logger, swept);
        }
        if (services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.SeedFile is { Length: > 0 } seedFile)
        {
            await SeedAsync(seedFile, cancellationToken).ConfigureAwait(false);
        }

        if (services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.SnapshotOnExit is { Length: > 0 } name)
        {
            _snapshotOnExit = (name, services.GetRequiredService<SnapshotRules>());
        }
    }

    /// <summary>Applies the seed file to a state that holds no user and no conversation; refuses the start otherwise on error.</summary>
    private async Task SeedAsync(string seedFile, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<EmulatorStore>();
        if (store.Read(s => s.Users.Count > 0 || s.Conversations.Count > 0))
        {
            Log.SeedSkipped(logger, seedFile);
            return;
        }

        string json;
        try
        {
            json = await File.ReadAllTextAsync(seedFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"the seed file {seedFile} cannot be read: {e.Message}", e);
        }

        try
        {
            services.GetRequiredService<AdminRules>().Seed(EmulatorSeed.Parse(json));
        }
        catch (EmulatorException e)
        {
            throw new InvalidOperationException($"the seed file {seedFile} was refused, nothing of it applied: {e.Message}", e);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes the snapshot asked for at exit, once nothing is served any more; a failure is logged, never thrown.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_snapshotOnExit is var (name, rules))
        {
            try
            {
                rules.Take(name, replace: true);
            }
            catch (Exception e) when (e is EmulatorException or ObjectDisposedException)
            {
                Log.SnapshotFailed(logger, name, e.Message);
            }
        }

        return Task.CompletedTask;
    }
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
