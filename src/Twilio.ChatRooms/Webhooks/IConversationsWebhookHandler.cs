namespace Twilio.ChatRooms;

/// <summary>
/// Receives Twilio Conversations webhooks from <c>MapTwilioConversationsWebhooks</c>, once their signature is checked.
/// Register one or more in the service collection (<c>services.AddSingleton&lt;IConversationsWebhookHandler, MyHandler&gt;()</c>);
/// implement only what you need.
/// </summary>
public interface IConversationsWebhookHandler
{
    /// <summary>
    /// A change was made (<c>onMessageAdded</c>, <c>onConversationRemoved</c>, …). Throwing answers Twilio 500, so it
    /// counts the delivery as failed.
    /// </summary>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task OnPostEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// A change is about to be made (<c>onMessageAdd</c>, …): allow, refuse or change it. The first handler that refuses
    /// decides; the changes of several handlers are merged in registration order. Twilio waits at most 5 seconds.
    /// </summary>
    /// <param name="webhookEvent">The proposed change.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>The decision.</returns>
    Task<WebhookDecision> OnPreEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
        Task.FromResult(WebhookDecision.Allow);
}
