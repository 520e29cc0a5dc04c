using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms;

namespace AdminConsole;

/// <summary>Builds and starts the generic host that composes Twilio.ChatRooms, so its options are validated first.</summary>
internal static class ConsoleHost
{
    /// <summary>
    /// Builds the host and starts it, which validates the options (throwing <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>).
    /// </summary>
    /// <param name="emulator">The emulator's address, or <see langword="null"/> to use the configured connection.</param>
    /// <param name="emulatorCredentials">The emulator's credentials file; null for the web host's (<see cref="EmulatorDefaults.CredentialsFile"/>).</param>
    /// <param name="overrides">Settings that win over every other source (used by tests).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host; dispose it when done.</returns>
    public static async Task<IHost> StartAsync(Uri? emulator, string? emulatorCredentials, IReadOnlyDictionary<string, string?>? overrides,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A .env file in the current directory, as in the tutorial; variables already set win over it.
        DotNetEnv.Env.NoClobber().Load();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Logging.ClearProviders();
        // Ctrl+C belongs to the command line (it cancels the command), not to the host's console lifetime, which
        // would swallow it to stop a host that is not running anything.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();

        // Sources, weakest first: appsettings.json, environment variables (Twilio__AccountSid, and the tutorial's
        // TWILIO_* which the library reads where the Twilio section is silent), then --emulator, then overrides.
        if (emulator is not null)
        {
            // The credentials the emulator generated, from its data directory: never fixed, well-known values.
            var settings = EmulatorCredentialsFile.Read(emulatorCredentials ?? EmulatorDefaults.CredentialsFile);
            settings["Twilio:BaseAddress"] = emulator.ToString();
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddTwilioChatRooms(builder.Configuration.GetSection("Twilio"));
        if (emulator is not null)
        {
            // The emulator's default service, not the one a real account's settings may name.
            var serviceSid = overrides?.GetValueOrDefault("Twilio:ServiceSid");
            // As the web host sets it up on an emulator, whose webhooks always reach the host: users may make groups.
            builder.Services.PostConfigure<TwilioChatRoomsOptions>(o =>
            {
                o.ServiceSid = serviceSid;
                o.UsersMayCreateConversations = true;
            });
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>A host lifetime that leaves signals alone: the command's cancellation token handles Ctrl+C.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
