using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator.ClientProtocol.Chat;
using Twilio.ChatRooms.Emulator.ClientProtocol.Sync;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>Registers and maps the client face: what Twilio's client SDKs speak (twilsock, Conversations over it, Sync).</summary>
internal static class ClientProtocolRegistration
{
    public static void AddClientProtocol(IServiceCollection services)
    {
        services.AddOptions<TwilsockOptions>().Configure<IOptions<ConversationsEmulatorOptions>>((twilsock, emulator) =>
        {
            var client = emulator.Value.ClientProtocol;
            twilsock.MaxQueuedFrames = client.MaxQueuedFramesPerConnection;
            twilsock.FrameReadTimeout = client.FrameReadTimeout;
            twilsock.MaxConnectionsPerIdentity = client.MaxConnectionsPerIdentity;
            twilsock.MaxConnectionsPerAddress = client.MaxConnectionsPerAddress;
        });
        services.TryAddSingleton<TwilsockAddresses>();
        services.TryAddSingleton<TwilsockSessions>();
        services.TryAddSingleton<ClientSignOuts>();
        services.TryAddSingleton(sp => new EmulatorClientConnections(
            sp.GetRequiredService<TwilsockSessions>(), sp.GetRequiredService<ClientSignOuts>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EmulatorClientConnections>>()));
        services.TryAddSingleton<ITwilsockAuthenticator, ClientTokenValidator>();
        services.TryAddSingleton<SyncEventIds>();
        services.TryAddSingleton<SyncSubscriptions>();
        services.TryAddSingleton<SyncReader>();
        services.TryAddSingleton<ConnectedClients>();
        services.TryAddSingleton<SyncSubscriptionEndpoint>();
        services.TryAddSingleton<SyncEndpoints>();
        services.TryAddSingleton(sp => new SyncFanout(
            sp.GetRequiredService<SyncEventIds>(),
            sp.GetRequiredService<SyncSubscriptions>(),
            new Lazy<SyncReader>(sp.GetRequiredService<SyncReader>),
            sp.GetRequiredService<TwilsockSessions>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SyncFanout>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, SyncFanout>(sp => sp.GetRequiredService<SyncFanout>()));
        services.TryAddSingleton(sp => new ChatRules(
            sp.GetRequiredService<Resources.Conversations.ConversationRules>(),
            sp.GetRequiredService<Resources.Participants.ParticipantRules>(),
            sp.GetRequiredService<Resources.Messages.MessageRules>(),
            sp.GetRequiredService<Resources.Users.UserRules>()));
        services.TryAddSingleton<ChatTyping>();
        services.TryAddSingleton<ChatMessages>();
        services.TryAddSingleton<ChatConversations>();
        services.TryAddSingleton<ChatEndpoints>();
        services.TryAddSingleton<PushRegistrations>();
        services.TryAddSingleton<ITwilsockRequestHandler, ClientFace>();
    }

    public static Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapClientProtocol(IEndpointRouteBuilder endpoints, string normalizedPrefix) =>
        TwilsockEndpoint.MapTwilsock(endpoints, normalizedPrefix);
}
