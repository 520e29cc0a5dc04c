using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Backend;
using WebApiHost.Telemetry;

namespace WebApiHost.Webhooks;

/// <summary>
/// What the host does with the webhooks Twilio (or the emulator) sends it, once their signature is checked: a room
/// added, renamed or removed refreshes the live room list here and, through <see cref="RoomChangeRelay"/>, on the other
/// hosts; a message that holds a blocked word is refused before it is stored; a conversation a user makes or changes
/// through the SDK (a group) may not pass for a room or a private conversation.
/// </summary>
internal sealed class ChatWebhookHandler(RoomChangeRelay relay, IOptionsMonitor<ModerationOptions> moderation) : IConversationsWebhookHandler
{
    /// <summary>The post-event webhooks the room list needs.</summary>
    public static readonly string[] RoomEvents = ["onConversationAdded", "onConversationUpdated", "onConversationRemoved"];

    /// <summary>
    /// The pre-event webhooks that check what users make through the SDK (their service role grants
    /// <c>createConversation</c>, for groups).
    /// </summary>
    public static readonly string[] ConversationGuards = ["onConversationAdd", "onConversationUpdate"];

    /// <summary>The reason a refused message is given; the chat client shows it.</summary>
    public const string BlockedReason = "it contains a word this chat does not allow";

    /// <summary>Why a user's conversation with a unique name or the marker of a private conversation is refused.</summary>
    public const string ReservedReason = "unique names and private conversations are made by the server only";

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
        var reason = webhookEvent.EventType switch
        {
            "onMessageAdd" when Blocked(webhookEvent.Body) => BlockedReason,
            "onConversationAdd" or "onConversationUpdate" when webhookEvent.Source == "SDK" && PassesForRoomOrPrivate(webhookEvent) => ReservedReason,
            _ => null,
        };
        var refused = reason is not null;
        activity?.SetTag("chatrooms.webhook.decision", refused ? "refused" : "allowed");
        HostTelemetry.Webhooks.Add(1, new("chatrooms.webhook.event_type", webhookEvent.EventType),
            new("chatrooms.webhook.decision", refused ? "refused" : "allowed"));
        return Task.FromResult(reason is not null ? WebhookDecision.Refuse(reason) : WebhookDecision.Allow);
    }

    /// <summary>
    /// A room is a conversation with a unique name and no <c>chatrooms</c> marker, a private conversation one marked
    /// <c>private</c>: a user's conversation (proposed or as changed) may have neither a unique name nor any marker but
    /// <c>group</c>, so nobody makes a room others join through the host, squats a room's name, or dresses a group up as
    /// someone's private conversation.
    /// </summary>
    private static bool PassesForRoomOrPrivate(ConversationsWebhookEvent webhookEvent)
    {
        if (!string.IsNullOrEmpty(webhookEvent.Parameters.GetValueOrDefault("UniqueName")))
        {
            return true;
        }

        var attributes = webhookEvent.Parameters.GetValueOrDefault("Attributes");
        if (string.IsNullOrEmpty(attributes))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(attributes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("chatrooms", out var marker)
                && !(marker.ValueKind == JsonValueKind.Object
                    && marker.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "group");
        }
        catch (JsonException)
        {
            return false;   // Twilio refuses attributes that are not JSON itself
        }
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
