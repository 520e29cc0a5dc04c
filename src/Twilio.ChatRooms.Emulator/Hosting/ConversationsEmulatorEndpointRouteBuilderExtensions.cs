using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator.Access;
using Twilio.ChatRooms.Emulator.Http;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Conversations emulator's REST API.</summary>
public static class ConversationsEmulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the emulator under <paramref name="prefix"/>: the REST API is at <c>{prefix}/v1/...</c>, mirroring
    /// <c>https://conversations.twilio.com/v1/...</c>, and the media service at <c>{prefix}/mcs/v1/...</c>, mirroring
    /// <c>https://mcs.us1.twilio.com/v1/...</c>, and the inspector, a page that shows the emulator's state, at
    /// <c>{prefix}/inspector</c>. Requires <c>AddConversationsEmulator</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The path the emulator is mounted at; <c>/emulator</c> by default.</param>
    /// <returns>A builder to add conventions (such as authorization policies) to the emulator's endpoint.</returns>
    public static IEndpointConventionBuilder MapConversationsEmulator(this IEndpointRouteBuilder endpoints, string prefix = "/emulator")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var normalized = "/" + prefix.Trim('/');
        if (normalized == "/")
        {
            normalized = "";
        }

        // Loopback clients only (unless allowed), and on the browsers' connection (twilsock) only pages of allowed
        // origins.
        ClientGate.Guard(Twilio.ChatRooms.Emulator.ClientProtocol.ClientProtocolRegistration.MapClientProtocol(endpoints, normalized), checkOrigin: true);

        // The media service ({prefix}/mcs/...), called from pages too (mcs-client over XHR): the same origins as twilsock.
        ClientGate.Guard(Twilio.ChatRooms.Emulator.MediaService.MediaServiceEndpoint.Map(endpoints, normalized), checkOrigin: true);
        // The inspector ({prefix}/inspector): a page for developers, with the account's credentials like the REST face.
        foreach (var inspector in Twilio.ChatRooms.Emulator.Inspector.InspectorEndpoint.Map(endpoints, normalized))
        {
            ClientGate.Guard(inspector, checkOrigin: false);
        }

        var rest = endpoints.Map(normalized + "/{**path}", context =>
            context.RequestServices.GetRequiredService<RestEndpoint>().HandleAsync(context, normalized));
        ClientGate.Guard(rest, checkOrigin: false);
        return rest;
    }
}
