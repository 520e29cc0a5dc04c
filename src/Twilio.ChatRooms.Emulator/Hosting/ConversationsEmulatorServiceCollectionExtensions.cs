using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.Emulator.Admin;
using Twilio.ChatRooms.Emulator.Faults;
using Twilio.ChatRooms.Emulator.Hosting;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Inspector;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Media;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Receipts;
using Twilio.ChatRooms.Emulator.Resources.Roles;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.Resources.Sms;
using Twilio.ChatRooms.Emulator.Resources.Users;
using Twilio.ChatRooms.Emulator.Resources.Webhooks;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.Storage;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Conversations emulator.</summary>
public static class ConversationsEmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the emulator's state and services. Map its endpoints with <c>MapConversationsEmulator</c>. The state (one
    /// default conversation service with Twilio's four default roles) is opened while the host starts, before it serves
    /// anything; with a data directory the emulator cannot use, the start fails with <see cref="EmulatorStorageException"/>.
    /// Also adds the health check <c>conversations-emulator-store</c>, unhealthy while writes cannot be made durable.
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

        // Credentials nobody set are generated (and kept in the data directory); well-known ones never serve remote clients.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ConversationsEmulatorOptions>, CredentialsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConversationsEmulatorOptions>, CredentialsSetup>());
        builder.ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);

        // State and its store: one write path, durable when a data directory is set.
        services.TryAddSingleton<IStatePersistence>(sp =>
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.DataDirectory is { Length: > 0 } directory
                ? SqlitePersistence.Open(directory, sp.GetRequiredService<ILogger<SqlitePersistence>>())
                : new NoPersistence());
        services.TryAddSingleton<IMediaContent>(sp =>
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.DataDirectory is { Length: > 0 } directory
                ? new FileMediaContent(directory, sp.GetRequiredService<ILogger<FileMediaContent>>())
                : new MemoryMediaContent());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, MediaContentCleanup>());
        services.TryAddSingleton<ISnapshotStore>(sp =>
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.DataDirectory is { Length: > 0 } directory
                ? new FileSnapshots(directory)
                : new MemorySnapshots());
        services.TryAddSingleton<EmulatorStore>();
        services.AddHostedService<StoreStartup>();

        // Webhooks: recorded in the write that causes them, delivered after it by the dispatcher (started after the store).
        services.TryAddSingleton(sp => new WebhookRecorder(
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!.AccountSid, sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventRecorder, WebhookRecorder>(sp => sp.GetRequiredService<WebhookRecorder>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value;
            return new WebhookSender(options.Credentials!.AuthToken, options.AllowRemoteClients, options.WebhookTimeout);
        });
        services.TryAddSingleton<WebhookDeliveryLog>();
        services.TryAddSingleton(sp => new PreEventWebhooks(sp.GetRequiredService<EmulatorStore>(), sp.GetRequiredService<WebhookSender>(),
            sp.GetRequiredService<WebhookDeliveryLog>(), sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!.AccountSid,
            sp.GetRequiredService<ILogger<PreEventWebhooks>>()));
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, WebhookDispatcher>(sp => sp.GetRequiredService<WebhookDispatcher>()));
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name);

        // One folder per Twilio resource: its rules, and its REST routes.
        services.TryAddSingleton<ServiceRules>();
        services.TryAddSingleton<RoleRules>();
        services.TryAddSingleton<UserRules>();
        services.TryAddSingleton<ConversationRules>();
        services.TryAddSingleton<ParticipantRules>();
        services.TryAddSingleton<MessageRules>();
        services.TryAddSingleton<MediaRules>();
        services.TryAddSingleton<MediaLinks>();
        services.TryAddSingleton(sp => new Twilio.ChatRooms.Emulator.MediaService.MediaServiceEndpoint(
            sp.GetRequiredService<MediaRules>(),
            sp.GetRequiredService<MediaLinks>(),
            sp.GetRequiredService<Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock.ITwilsockAuthenticator>(),
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Twilio.ChatRooms.Emulator.MediaService.MediaServiceEndpoint>>()));
        services.TryAddSingleton<SmsRules>();
        services.TryAddSingleton<ReceiptRules>();
        services.TryAddSingleton<AdminRules>();
        services.TryAddSingleton<SnapshotRules>();
        services.TryAddSingleton(sp => new WebhookRules(sp.GetRequiredService<EmulatorStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.AllowRemoteClients, sp.GetRequiredService<WebhookRecorder>(),
            sp.GetRequiredService<ILogger<WebhookRules>>()));
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IRestResource, ServiceEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, RoleEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, UserEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, ConversationEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, ParticipantEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, MessageEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, SmsEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, ReceiptEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, WebhookEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, AdminEndpoints>(),
            ServiceDescriptor.Singleton<IRestResource, HealthEndpoint>(),
        ]);

        // The REST transport, with the faults it injects.
        services.TryAddSingleton(sp => new FaultInjector(
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Faults,
            sp.GetRequiredService<ILogger<FaultInjector>>()));
        services.TryAddSingleton(sp => new TwilioRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RestRouter>();
        services.TryAddSingleton<PublicOrigin>();
        services.TryAddSingleton(sp => new RestEndpoint(
            sp.GetRequiredService<RestRouter>(),
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!,
            sp.GetRequiredService<FaultInjector>(),
            sp.GetRequiredService<PublicOrigin>(),
            sp.GetRequiredService<ILogger<RestEndpoint>>()));

        // The client face: Twilio's own client SDKs over twilsock, a listener of the store's changes.
        Twilio.ChatRooms.Emulator.ClientProtocol.ClientProtocolRegistration.AddClientProtocol(services);

        // The inspector ({prefix}/inspector): a page over the resources' reads, told of changes as the client face is.
        services.TryAddSingleton<InspectorChanges>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, InspectorChanges>(sp => sp.GetRequiredService<InspectorChanges>()));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<InspectorPage>(sp,
            sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Faults));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value;
            return ActivatorUtilities.CreateInstance<InspectorEndpoint>(sp, options.Faults, options.Credentials!);
        });
        services.AddHostedService<PeriodicConnectionDrops>(); // only when ClientProtocol.DropConnectionsEvery is set
        return services;
    }
}
