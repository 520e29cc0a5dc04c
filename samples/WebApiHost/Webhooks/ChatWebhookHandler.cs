using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Backend;
using WebApiHost.Telemetry;

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

    public async Task OnPostEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        using var activity = Start(webhookEvent);
        HostTelemetry.Webhooks.Add(1, new("chatrooms.webhook.event_type", webhookEvent.EventType), new("chatrooms.webhook.decision", "allowed"));
        if (RoomEvents.Contains(webhookEvent.EventType, StringComparer.Ordinal))
        {
            await relay.PublishAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<WebhookDecision> OnPreEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        using var activity = Start(webhookEvent);
        var refused = webhookEvent.EventType == "onMessageAdd" && Blocked(webhookEvent.Body);
        activity?.SetTag("chatrooms.webhook.decision", refused ? "refused" : "allowed");
        HostTelemetry.Webhooks.Add(1, new("chatrooms.webhook.event_type", webhookEvent.EventType),
            new("chatrooms.webhook.decision", refused ? "refused" : "allowed"));
        return Task.FromResult(refused ? WebhookDecision.Refuse(BlockedReason) : WebhookDecision.Allow);
    }

    /// <summary>A consumer span for one webhook, under the request's (which continues the sender's trace): its event type and conversation, never its body.</summary>
    private static Activity? Start(ConversationsWebhookEvent webhookEvent)
    {
        var activity = HostTelemetry.Source.StartActivity($"process {webhookEvent.EventType}", ActivityKind.Consumer);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", "twilio_conversations");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", webhookEvent.EventType);
            if (webhookEvent.Parameters.GetValueOrDefault("ConversationSid") is { } conversation)
            {
                activity.SetTag("messaging.destination.name", conversation);
            }
        }

        return activity;
    }

    private bool Blocked(string? body) =>
        !string.IsNullOrEmpty(body) && moderation.CurrentValue.BlockedWords.Any(word => !string.IsNullOrWhiteSpace(word)
            && Regex.IsMatch(body, $@"(?<!\w){Regex.Escape(word.Trim())}(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}
