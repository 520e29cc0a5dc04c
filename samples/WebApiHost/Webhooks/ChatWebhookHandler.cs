using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Backend;

namespace WebApiHost.Webhooks;

/// <summary>
/// What the host does with the webhooks Twilio (or the emulator) sends it, once their signature is checked: a room
/// added, renamed or removed refreshes the live room list here and, through <see cref="RoomChangeRelay"/>, on the other
/// hosts; a message that holds a blocked word is refused before it is stored.
/// </summary>
internal sealed class ChatWebhookHandler(RoomChangeRelay relay, IOptionsMonitor<ModerationOptions> moderation) : IConversationsWebhookHandler
{
    /// <summary>The post-event webhooks the room list needs.</summary>
    public static readonly string[] RoomEvents = ["onConversationAdded", "onConversationUpdated", "onConversationRemoved"];

    /// <summary>The reason a refused message is given; the chat client shows it.</summary>
    public const string BlockedReason = "it contains a word this chat does not allow";

    public Task OnPostEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
        RoomEvents.Contains(webhookEvent.EventType, StringComparer.Ordinal) ? relay.PublishAsync(cancellationToken) : Task.CompletedTask;

    public Task<WebhookDecision> OnPreEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
        Task.FromResult(webhookEvent.EventType == "onMessageAdd" && Blocked(webhookEvent.Body)
            ? WebhookDecision.Refuse(BlockedReason)
            : WebhookDecision.Allow);

    private bool Blocked(string? body) =>
        !string.IsNullOrEmpty(body) && moderation.CurrentValue.BlockedWords.Any(word => !string.IsNullOrWhiteSpace(word)
            && Regex.IsMatch(body, $@"(?<!\w){Regex.Escape(word.Trim())}(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}
