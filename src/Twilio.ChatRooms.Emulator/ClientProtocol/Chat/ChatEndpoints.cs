using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Sync;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Receipts;
using Twilio.ChatRooms.Emulator.Resources.Users;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Chat;

/// <summary>The resource rules the client face calls, in one parameter, and the checks its requests share.</summary>
internal sealed record ChatRules(ConversationRules Conversations, ParticipantRules Participants, MessageRules Messages,
    UserRules Users)
{
    /// <summary>
    /// The user's participant in the conversation. A non-participant is told the conversation does not exist, as Twilio
    /// hides it.
    /// </summary>
    public ParticipantRecord Member(TwilsockPrincipal p, string conversationSid) =>
        Participants.Mine(Actor.User(p.Identity), p.ServiceSid, conversationSid);

    /// <summary>Twilio's answer to a conversation the user may not see: not found, as if it did not exist.</summary>
    public static EmulatorException Hidden(string conversationSid) => TwilioErrors.ConversationHidden(conversationSid);

    /// <summary>A string field of a request's JSON body, or null when it is absent or not a string.</summary>
    public static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

/// <summary>
/// The Conversations REST that @twilio/conversations 3.0.1 sends over the socket (docs/client-protocol.md): the
/// configuration with its links and Sync object ids, my conversations, sending,
/// typing and users. A client-side face: it checks membership and permissions as Twilio does for a user's token, then
/// calls the same resource rules as the REST API, whose committed changes come back to every SDK as Sync events.
/// </summary>
internal sealed class ChatEndpoints(ChatRules rules, ChatTyping typing, ChatMessages messages, ChatConversations conversations,
    Resources.Media.MediaLinks media, ReceiptRules receipts)
{
    public TunnelledResponse Handle(TwilsockSession session, TunnelledRequest request, TunnelledPath path)
    {
        var p = session.Principal!;
        try
        {
            return (request.Method, path.Segments) switch
            {
                ("GET", ["Client", "v2", "Configuration"]) => Ok(Configuration(p, path)),
                ("GET", ["Client", "v2", "Services", var s, "MyConversations"]) when s == p.ServiceSid => Ok(MyConversations(p)),
                ("GET", ["Client", "v2", "Services", var s, "MyConversations", var c]) when s == p.ServiceSid => Ok(MyConversation(View(p, rules.Member(p, c)))),
                ("GET", ["Client", "v2", "Services", var s, "Conversations", var c]) when s == p.ServiceSid => Ok(Peek(p, rules.Member(p, c))),
                ("POST", ["Client", "v2", "Services", var s, "MyConversations", var c]) when s == p.ServiceSid => Ok(ReadHorizon(p, c, request)),
                ("POST", ["Client", "v2", "Services", var s, "Conversations"]) when s == p.ServiceSid => Ok(conversations.Create(p, Json(request), rest => path.Url(["Client", "v2", "Services", p.ServiceSid, .. rest]))),
                ("POST", ["Client", "v2", "Services", var s, "Conversations", var c]) when s == p.ServiceSid => Ok(conversations.Update(p, c, Json(request))),
                ("DELETE", ["Client", "v2", "Services", var s, "Conversations", var c]) when s == p.ServiceSid => Ok(conversations.Delete(p, c)),
                ("POST", ["Client", "v2", "Services", var s, "Conversations", var c, "Participants"]) when s == p.ServiceSid => Ok(conversations.AddParticipant(p, c, Json(request))),
                ("DELETE", ["Client", "v2", "Services", var s, "Conversations", var c, "Participants", var k]) when s == p.ServiceSid => Ok(conversations.RemoveParticipant(p, c, k)),
                ("POST", ["Client", "v2", "Services", var s, "Conversations", var c, "Participants", var k]) when s == p.ServiceSid => Ok(conversations.UpdateParticipant(p, c, k, Json(request))),
                ("POST", ["Client", "v2", "Services", var s, "Conversations", var c, "Messages"]) when s == p.ServiceSid => Ok(messages.Send(p, c, Json(request))),
                ("POST", ["Client", "v2", "Services", var s, "Conversations", var c, "Messages", var m]) when s == p.ServiceSid => Ok(messages.Edit(p, c, m, Json(request))),
                ("DELETE", ["Client", "v2", "Services", var s, "Conversations", var c, "Messages", var m]) when s == p.ServiceSid => Ok(messages.Delete(p, c, m)),
                ("GET", ["Client", "v2", "Services", var s, "Conversations", var c, "Messages", var m, "Receipts"]) when s == p.ServiceSid => Ok(Receipts(p, c, m)),
                ("POST", ["Client", "v2", "Services", var s, "Typing"]) when s == p.ServiceSid => Ok(Typing(p, request)),
                ("GET", ["Client", "v2", "Services", var s, "Users", var identity]) when s == p.ServiceSid => Ok(User(p, identity)),
                ("POST", ["Client", "v2", "Services", var s, "Users", var identity]) when s == p.ServiceSid => Ok(UpdateUser(p, identity, Json(request))),
                _ => TunnelledResponse.Error(404, TwilioErrors.NotFoundCode, $"The requested resource {request.Path} was not found"),
            };
        }
        catch (EmulatorException e)
        {
            return TunnelledResponse.Error(e.Status, e.Code, e.Message);
        }
    }

    private JsonObject Configuration(TwilsockPrincipal p, TunnelledPath path)
    {
        // Twilio creates the user of a token on its first connection, with the service's default role.
        if (rules.Users.Find(p.ServiceSid, p.Identity) is null)
        {
            try
            {
                rules.Users.Create(p.ServiceSid, p.Identity, null, null, null);
            }
            catch (EmulatorException e) when (e.Code == TwilioErrors.UserExists)
            {
                // created meanwhile by another connection of the same user
            }
        }

        string Link(params string[] rest) => path.Url(["Client", "v2", "Services", p.ServiceSid, .. rest]);
        return new JsonObject
        {
            ["identity"] = p.Identity,
            ["sync_objects"] = new JsonObject
            {
                ["my_conversations"] = SyncNames.MyConversations(p.ServiceSid, p.Identity),
                ["my_user_info"] = SyncNames.UserInfo(p.ServiceSid, p.Identity),
            },
            ["links"] = new JsonObject
            {
                ["my_conversations"] = Link("MyConversations"),
                ["conversations"] = Link("Conversations"),
                ["users"] = Link("Users"),
                ["current_user"] = Link("Users", p.Identity),
                ["typing"] = Link("Typing"),
                ["messages_receipts"] = Link("Conversations") + "/%s/Messages/%s/Receipts",
                // The emulator's media service, plain HTTP as Twilio's: absolute, so mcs-client adds no host of its own.
                ["media_service"] = media.Media(p.ServiceSid),
                ["media_set_service"] = media.MediaSet(p.ServiceSid),
            },
            ["options"] = new JsonObject
            {
                ["reachability_enabled"] = true,
                ["user_infos_to_subscribe"] = 100,
                ["http_cache_interval"] = "PT5S",
                ["consumption_report_interval"] = "PT5S",
                ["media_attachments_count_limit"] = TwilioLimits.MaxMediaPerMessage,
                ["media_attachment_size_limit_in_mb"] = TwilioLimits.MaxMediaSize / (1024 * 1024),
                ["media_attachments_total_size_limit_in_mb"] = TwilioLimits.MaxMediaSize / (1024 * 1024),
                ["email_histories_allowed_mime_types"] = new JsonArray(),
                ["email_bodies_allowed_mime_types"] = new JsonArray(),
            },
        };
    }

    /// <summary>
    /// Every conversation of the user with its unread count, from one read of the store (none before the user exists:
    /// the configuration request creates it).
    /// </summary>
    private JsonObject MyConversations(TwilsockPrincipal p) => new()
    {
        ["conversations"] = new JsonArray((rules.Users.Find(p.ServiceSid, p.Identity) is null ? [] : rules.Users.ListConversations(p.ServiceSid, p.Identity))
            .OrderBy(v => v.Conversation.Seq)
            .Select(v => (JsonNode)MyConversation(v)).ToArray()),
        ["meta"] = new JsonObject { ["next_token"] = null },
    };

    private UserConversationView View(TwilsockPrincipal p, ParticipantRecord me) =>
        rules.Users.FetchConversation(p.ServiceSid, p.Identity, me.ConversationSid);

    private static JsonObject MyConversation(UserConversationView view)
    {
        var (conversation, me) = (view.Conversation, view.Participant);
        return new JsonObject
        {
            ["conversation_sid"] = conversation.Sid,
            ["status"] = "joined",
            ["friendly_name"] = conversation.FriendlyName,
            ["unique_name"] = conversation.UniqueName,
            ["attributes"] = conversation.Attributes,
            ["date_created"] = TwilioFormat.Date(conversation.DateCreated),
            ["date_updated"] = TwilioFormat.Date(conversation.DateUpdated),
            ["last_read_message_index"] = me.LastReadMessageIndex,
            ["unread_messages_count"] = view.UnreadMessagesCount,
            ["notification_level"] = me.NotificationLevelOrDefault,
            ["sync_objects"] = SyncObjects(conversation.Sid),
        };
    }

    private JsonObject Peek(TwilsockPrincipal p, ParticipantRecord me)
    {
        var conversation = rules.Conversations.Fetch(p.ServiceSid, me.ConversationSid);
        return new JsonObject
        {
            ["sid"] = conversation.Sid,
            ["conversation_sid"] = conversation.Sid,
            ["friendly_name"] = conversation.FriendlyName,
            ["unique_name"] = conversation.UniqueName,
            ["attributes"] = conversation.Attributes,
            ["participants_count"] = rules.Participants.List(p.ServiceSid, conversation.Sid).Count,
            ["messages_count"] = rules.Messages.Count(p.ServiceSid, conversation.Sid),
            ["sync_objects"] = SyncObjects(conversation.Sid),
        };
    }

    /// <summary>
    /// Moves the read horizon (setAllMessagesRead, advance/updateLastReadMessageIndex), clears it (setAllMessagesUnread:
    /// <c>null</c>) or sets the notification level
    /// (setUserNotificationLevel), and answers the unread count.
    /// </summary>
    private JsonObject ReadHorizon(TwilsockPrincipal p, string conversationSid, TunnelledRequest request)
    {
        var body = Json(request);
        int? index = body["last_read_message_index"] is JsonValue v && v.TryGetValue(out int i) ? i : null;
        var clear = body.TryGetPropertyValue("last_read_message_index", out var sent) && sent is null; // setAllMessagesUnread
        var level = ChatRules.Text(body, "notification_level");
        var me = index is not null || level is not null || clear
            ? rules.Participants.Update(Actor.User(p.Identity), p.ServiceSid, conversationSid, p.Identity, null, null, index, level, clear)
            : rules.Member(p, conversationSid);
        var view = rules.Users.FetchConversation(p.ServiceSid, p.Identity, me.ConversationSid);
        return new JsonObject { ["conversation_sid"] = me.ConversationSid, ["unread_messages_count"] = view.UnreadMessagesCount };
    }

    /// <summary>
    /// GET <c>Conversations/{sid}/Messages/{sid}/Receipts</c> (message.getDetailedDeliveryReceipts): the message's delivery
    /// receipts, none for chat participants; one page, as a message reaches at most 50 non-chat participants.
    /// </summary>
    private JsonObject Receipts(TwilsockPrincipal p, string conversationSid, string messageKey) => new()
    {
        ["delivery_receipts"] = new JsonArray([.. receipts.List(Actor.User(p.Identity), p.ServiceSid, conversationSid, messageKey)
            .Select(r => (JsonNode)ReceiptJson.Receipt(null, r, null))]),
        ["meta"] = new JsonObject { ["previous_token"] = null, ["next_token"] = null },
    };

    private JsonObject Typing(TwilsockPrincipal p, TunnelledRequest request)
    {
        // The SDK posts the form field ChannelSid=CH... (services/typing-indicator.js _send).
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(request.Body.Span));
        var me = rules.Member(p, form.TryGetValue("ChannelSid", out var sid) ? sid.ToString() : "");
        typing.Started(me);
        return new JsonObject { ["typing_timeout"] = ChatTyping.TimeoutSeconds };
    }

    private JsonObject User(TwilsockPrincipal p, string identity)
    {
        var user = rules.Users.Fetch(p.ServiceSid, identity);
        return new JsonObject
        {
            ["identity"] = user.Identity,
            ["friendly_name"] = user.FriendlyName,
            ["attributes"] = user.Attributes,
            ["sync_objects"] = new JsonObject { ["user_info_map"] = SyncNames.UserInfo(p.ServiceSid, user.Identity) },
        };
    }

    /// <summary>POST <c>Users/{identity}</c>: user.updateFriendlyName / updateAttributes, under the user's service role.</summary>
    private JsonObject UpdateUser(TwilsockPrincipal p, string identity, JsonObject body)
    {
        rules.Users.Update(Actor.User(p.Identity), p.ServiceSid, identity, null, ChatRules.Text(body, "friendly_name"), ChatRules.Text(body, "attributes"));
        return User(p, identity);
    }

    private static JsonObject SyncObjects(string conversationSid) => new()
    {
        ["conversation"] = SyncNames.Channel(conversationSid),
        ["messages"] = SyncNames.Messages(conversationSid),
        ["participants"] = SyncNames.Roster(conversationSid),
    };

    private static JsonObject Json(TunnelledRequest request)
    {
        try
        {
            return request.Body.Length == 0 ? [] : JsonNode.Parse(request.Body.Span) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "The request body is not JSON");
        }
    }

    private static TunnelledResponse Ok(JsonObject body) => new(200, body);
}
