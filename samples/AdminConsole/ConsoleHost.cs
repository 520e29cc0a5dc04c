using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AdminConsole;

/// <summary>Builds and starts the generic host that composes Twilio.ChatRooms, so its options are validated first.</summary>
internal static class ConsoleHost
{
    /// <summary>The tutorial's variables and the settings they stand for, used where the <c>Twilio</c> section is silent.</summary>
    private static readonly (string Variable, string Key)[] TutorialVariables =
    [
        ("TWILIO_ACCOUNT_SID", "Twilio:AccountSid"),
        ("TWILIO_AUTH_TOKEN", "Twilio:AuthToken"),
        ("TWILIO_API_KEY_SID", "Twilio:ApiKeySid"),
        ("TWILIO_API_KEY_SECRET", "Twilio:ApiKeySecret"),
        ("TWILIO_CONVERSATIONS_SERVICE_SID", "Twilio:ServiceSid"),
    ];

    /// <summary>
    /// Builds the host and starts it, which validates the options (throwing <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>).
    /// </summary>
    /// <param name="emulator">The emulator's address, or <see langword="null"/> to use the configured connection.</param>
    /// <param name="overrides">Settings that win over every other source (used by tests).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host; dispose it when done.</returns>
    public static async Task<IHost> StartAsync(Uri? emulator, IReadOnlyDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        // A .env file in the current directory, as in the tutorial; variables already set win over it.
        DotNetEnv.Env.NoClobber().Load();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        var layers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in TutorialVariables)
        {
            var value = builder.Configuration[variable];
            if (string.IsNullOrEmpty(builder.Configuration[key]) && !string.IsNullOrEmpty(value))
            {
                layers[key] = value;
            }
        }

        if (emulator is not null)
        {
            layers["Twilio:BaseAddress"] = emulator.ToString();
            layers["Twilio:AccountSid"] = EmulatorDefaults.AccountSid;
            layers["Twilio:AuthToken"] = EmulatorDefaults.AuthToken;
            layers["Twilio:ApiKeySid"] = EmulatorDefaults.ApiKeySid;
            layers["Twilio:ApiKeySecret"] = EmulatorDefaults.ApiKeySecret;
            layers["Twilio:ServiceSid"] = null; // the emulator's default service, not a real account's
        }

        builder.Configuration.AddInMemoryCollection(layers);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddTwilioChatRooms(builder.Configuration.GetSection("Twilio"));

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
}
