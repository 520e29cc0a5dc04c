using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>Registers and maps the real-time hub; called by the emulator's public extension methods.</summary>
internal static class RealtimeRegistration
{
    public static void AddRealtime(IServiceCollection services)
    {
        services.AddSignalR();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, HubTokenAuthenticationHandler>(HubTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o => o.AddPolicy(HubTokenAuthenticationHandler.PolicyName, p => p
            .AddAuthenticationSchemes(HubTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()));
        services.TryAddSingleton<HubTokenValidator>();
        services.TryAddSingleton(sp => new HubEventDispatcher(
            sp.GetRequiredService<Microsoft.AspNetCore.SignalR.IHubContext<ConversationsHub>>(),
            sp.GetRequiredService<IEmulatorStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HubEventDispatcher>>()));
    }

    public static void MapHub(IEndpointRouteBuilder endpoints, string normalizedPrefix) =>
        endpoints.MapHub<ConversationsHub>(normalizedPrefix + "/hub")
            .RequireAuthorization(HubTokenAuthenticationHandler.PolicyName);

    public static ConversationService Wire(ConversationService service, IServiceProvider services)
    {
        service.Events = services.GetRequiredService<HubEventDispatcher>();
        return service;
    }
}
