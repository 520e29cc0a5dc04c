using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Webhooks;

// In this namespace so that users need no extra using directive, as with MapGet.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint that receives Twilio Conversations webhooks.</summary>
public static class ConversationsWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Receives Twilio Conversations webhooks (pre- and post-event, POST or GET) at <paramref name="pattern"/>: each
    /// request's <c>X-Twilio-Signature</c> is checked with the Twilio SDK's validator and the account's auth token
    /// (<c>Twilio:AuthToken</c>) over the URL Twilio called (<see cref="Twilio.ChatRooms.TwilioChatRoomsOptions.WebhookPublicUrl"/>
    /// behind a proxy); one that fails gets 403 and one log line. The events go to every registered
    /// <see cref="Twilio.ChatRooms.IConversationsWebhookHandler"/>. Requires <c>AddTwilioChatRooms</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The path Twilio calls; <c>/twilio/conversations</c> by default.</param>
    /// <returns>A builder for conventions on the endpoint.</returns>
    public static IEndpointConventionBuilder MapTwilioConversationsWebhooks(this IEndpointRouteBuilder endpoints, string pattern = "/twilio/conversations")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return endpoints.MapMethods(pattern, [HttpMethods.Post, HttpMethods.Get], (HttpContext context) =>
            ActivatorUtilities.GetServiceOrCreateInstance<ConversationsWebhookEndpoint>(context.RequestServices).HandleAsync(context));
    }
}
