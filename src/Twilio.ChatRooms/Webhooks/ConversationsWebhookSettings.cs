namespace Twilio.ChatRooms;

/// <summary>
/// The conversation service's webhook configuration (Twilio's <c>/v1/Services/{IS}/Configuration/Webhooks</c>): where
/// Twilio sends post-event and pre-event webhooks, with which method, for which events.
/// </summary>
/// <param name="PostWebhookUrl">Where post-event webhooks go (after a change); null for none.</param>
/// <param name="PreWebhookUrl">Where pre-event webhooks go (before a change, which they may refuse or change); null for none.</param>
/// <param name="Filters">The events sent, such as <c>onMessageAdded</c> or <c>onMessageAdd</c>: no other is sent.</param>
/// <param name="Method"><c>POST</c> (the default) or <c>GET</c>.</param>
public sealed record ConversationsWebhookSettings(Uri? PostWebhookUrl, Uri? PreWebhookUrl, IReadOnlyList<string> Filters, string Method = "POST");

/// <summary>Reads and sets the webhook configuration of the rooms' conversation service.</summary>
public interface IConversationsWebhookSettings
{
    /// <summary>The service's webhook configuration.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The configuration.</returns>
    Task<ConversationsWebhookSettings> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the service's webhook configuration (a null URL clears it) and returns it as Twilio now holds it.</summary>
    /// <param name="settings">The configuration.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The configuration.</returns>
    Task<ConversationsWebhookSettings> SetAsync(ConversationsWebhookSettings settings, CancellationToken cancellationToken = default);
}
