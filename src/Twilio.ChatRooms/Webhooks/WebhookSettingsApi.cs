using System.Text.Json;
using Twilio.ChatRooms.ConversationsRest;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.Webhooks;

/// <summary>The service's webhook configuration over Twilio's REST API.</summary>
internal sealed class WebhookSettingsApi(TwilioRest rest, ChatRoomsLookups lookups) : IConversationsWebhookSettings
{
    public async Task<ConversationsWebhookSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        return Read(await rest.SendAsync(TwilioRest.Get, RestPath.Service(serviceSid, "Configuration", "Webhooks"), null, cancellationToken)
            .ConfigureAwait(false));
    }

    public async Task<ConversationsWebhookSettings> SetAsync(ConversationsWebhookSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Method is not ("POST" or "GET"))
        {
            throw new ArgumentException("Method must be POST or GET.", nameof(settings));
        }

        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        List<KeyValuePair<string, string>> form =
        [
            new("PostWebhookUrl", settings.PostWebhookUrl?.AbsoluteUri ?? ""),
            new("PreWebhookUrl", settings.PreWebhookUrl?.AbsoluteUri ?? ""),
            new("Method", settings.Method),
            .. settings.Filters.Select(f => new KeyValuePair<string, string>("Filters", f)),
        ];
        if (settings.Filters.Count == 0)
        {
            form.Add(new("Filters", ""));   // an empty value clears them; left out, they would be kept
        }

        return Read(await rest.SendAsync(TwilioRest.Post, RestPath.Service(serviceSid, "Configuration", "Webhooks"), form, cancellationToken)
            .ConfigureAwait(false));
    }

    private static ConversationsWebhookSettings Read(JsonElement json) => new(
        json.String("post_webhook_url") is { Length: > 0 } post ? new Uri(post) : null,
        json.String("pre_webhook_url") is { Length: > 0 } pre ? new Uri(pre) : null,
        json.Strings("filters"),
        json.String("method") ?? "POST");
}
