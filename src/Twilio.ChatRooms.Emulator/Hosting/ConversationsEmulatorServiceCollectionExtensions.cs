using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Faults;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Conversations emulator.</summary>
public static class ConversationsEmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the emulator's state and services. Map its endpoints with
    /// <c>MapConversationsEmulator</c>. The state (one default conversation service with Twilio's four default roles)
    /// is created when first used and lives as long as the service provider.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options: credentials, faults and the data directory.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddConversationsEmulator(this IServiceCollection services, Action<ConversationsEmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ConversationsEmulatorOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEmulatorStore>(sp =>
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.DataDirectory is { Length: > 0 } directory
                ? SqliteEmulatorStore.Open(directory)
                : new InMemoryEmulatorStore());
        services.TryAddSingleton(sp => Twilio.ChatRooms.Emulator.Realtime.RealtimeRegistration.Wire(new ConversationService(
            sp.GetRequiredService<IEmulatorStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConversationService>>(),
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials.AccountSid), sp));
        services.TryAddSingleton(sp => new FaultInjector(
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Faults,
            sp.GetRequiredService<ILogger<FaultInjector>>()));
        services.TryAddSingleton(sp => new EmulatorEndpoint(
            sp.GetRequiredService<ConversationService>(),
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials,
            sp.GetRequiredService<FaultInjector>(),
            new TwilioRateLimiter(sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<ILogger<EmulatorEndpoint>>()));
        Twilio.ChatRooms.Emulator.Realtime.RealtimeRegistration.AddRealtime(services);
        return services;
    }
}
