using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>Registers and maps the real-time hub; called by the emulator's public extension methods.</summary>
internal static class RealtimeRegistration
{
    public static void AddRealtime(IServiceCollection services)
    {
        services.AddSignalR(o => o.AddFilter<HubRefusalLogging>());
        // HubRefusalLogging logs each failed call once, a refusal in one line; SignalR's dispatcher would add a stack trace at Error.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter(HubRefusalLogging.DispatcherCategory, LogLevel.None));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, HubTokenAuthenticationHandler>(HubTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o => o.AddPolicy(HubTokenAuthenticationHandler.PolicyName, p => p
            .AddAuthenticationSchemes(HubTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()));
        services.TryAddSingleton<HubTokenValidator>();
        services.TryAddSingleton<HubRules>();
        services.TryAddSingleton<HubEventDispatcher>();
        // The hub hears every committed change, as any other face of the emulator would.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeListener, HubEventDispatcher>(sp => sp.GetRequiredService<HubEventDispatcher>()));
    }

    public static IEndpointConventionBuilder MapHub(IEndpointRouteBuilder endpoints, string normalizedPrefix) =>
        endpoints.MapHub<ConversationsHub>(normalizedPrefix + "/hub")
            .RequireAuthorization(HubTokenAuthenticationHandler.PolicyName);
}
