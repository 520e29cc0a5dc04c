using System.Globalization;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Domain;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>Builds absolute URLs for one request: origin (scheme, host, path base, prefix) plus the scope's base path.</summary>
internal sealed record Urls(string Origin, string ScopeBase)
{
    public string Scoped(string path) => Origin + ScopeBase + path;

    public string Versioned(string path) => Origin + "/v1" + path;
}

/// <summary>Turns records into Twilio's JSON shapes.</summary>
internal static class Representations
{
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Configuration(string accountSid, string serviceSid, Urls urls) => new()
    {
        ["account_sid"] = accountSid,
        ["default_chat_service_sid"] = serviceSid,
        ["default_messaging_service_sid"] = null,
        ["default_inactive_timer"] = null,
        ["default_closed_timer"] = null,
        ["url"] = urls.Versioned("/Configuration"),
        ["links"] = new JsonObject { ["webhooks"] = urls.Versioned("/Configuration/Webhooks") },
    };

    public static JsonObject ServiceConfiguration(ServiceRecord service, Urls urls) => new()
    {
        ["chat_service_sid"] = service.Sid,
        ["default_conversation_creator_role_sid"] = service.DefaultConversationCreatorRoleSid,
        ["default_conversation_role_sid"] = service.DefaultConversationRoleSid,
        ["default_chat_service_role_sid"] = service.DefaultServiceRoleSid,
        ["reachability_enabled"] = false,
        ["url"] = urls.Versioned($"/Services/{service.Sid}/Configuration"),
        ["links"] = new JsonObject { ["notifications"] = urls.Versioned($"/Services/{service.Sid}/Configuration/Notifications") },
    };

    public static JsonObject Service(string accountSid, ServiceRecord service, Urls urls)
    {
        var url = urls.Versioned($"/Services/{service.Sid}");
        return new()
        {
            ["account_sid"] = accountSid,
            ["sid"] = service.Sid,
            ["friendly_name"] = service.FriendlyName,
            ["date_created"] = Date(service.DateCreated),
            ["date_updated"] = Date(service.DateCreated),
            ["url"] = url,
            ["links"] = new JsonObject
            {
                ["conversations"] = url + "/Conversations",
                ["users"] = url + "/Users",
                ["roles"] = url + "/Roles",
                ["configuration"] = url + "/Configuration",
            },
        };
    }

    public static JsonObject Role(string accountSid, RoleRecord role, Urls urls) => new()
    {
        ["sid"] = role.Sid,
        ["account_sid"] = accountSid,
        ["chat_service_sid"] = role.ServiceSid,
        ["friendly_name"] = role.FriendlyName,
        ["type"] = role.Type,
        ["permissions"] = new JsonArray([.. role.Permissions.Select(p => (JsonNode?)p)]),
        ["date_created"] = Date(role.DateCreated),
        ["date_updated"] = Date(role.DateUpdated),
        ["url"] = urls.Scoped($"/Roles/{role.Sid}"),
    };

    public static JsonObject User(string accountSid, UserRecord user, Urls urls)
    {
        var url = urls.Scoped($"/Users/{user.Sid}");
        return new()
        {
            ["sid"] = user.Sid,
            ["account_sid"] = accountSid,
            ["chat_service_sid"] = user.ServiceSid,
            ["role_sid"] = user.RoleSid,
            ["identity"] = user.Identity,
            ["friendly_name"] = user.FriendlyName,
            ["attributes"] = user.Attributes,
            ["is_online"] = null,
            ["is_notifiable"] = null,
            ["date_created"] = Date(user.DateCreated),
            ["date_updated"] = Date(user.DateUpdated),
            ["url"] = url,
            ["links"] = new JsonObject { ["user_conversations"] = url + "/Conversations" },
        };
    }

    public static JsonObject Conversation(string accountSid, ConversationRecord conversation, Urls urls)
    {
        var url = urls.Scoped($"/Conversations/{conversation.Sid}");
        return new()
        {
            ["account_sid"] = accountSid,
            ["chat_service_sid"] = conversation.ServiceSid,
            ["messaging_service_sid"] = null,
            ["sid"] = conversation.Sid,
            ["friendly_name"] = conversation.FriendlyName,
            ["unique_name"] = conversation.UniqueName,
            ["attributes"] = conversation.Attributes,
            ["state"] = conversation.State,
            ["date_created"] = Date(conversation.DateCreated),
            ["date_updated"] = Date(conversation.DateUpdated),
            ["timers"] = new JsonObject(),
            ["url"] = url,
            ["links"] = new JsonObject
            {
                ["participants"] = url + "/Participants",
                ["messages"] = url + "/Messages",
                ["webhooks"] = url + "/Webhooks",
            },
            ["bindings"] = null,
        };
    }

    public static JsonObject Participant(string accountSid, ParticipantRecord participant, Urls urls) => new()
    {
        ["account_sid"] = accountSid,
        ["chat_service_sid"] = participant.ServiceSid,
        ["conversation_sid"] = participant.ConversationSid,
        ["sid"] = participant.Sid,
        ["identity"] = participant.Identity,
        ["attributes"] = participant.Attributes,
        ["messaging_binding"] = participant.BindingAddress is null
            ? null
            : new JsonObject
            {
                ["type"] = participant.BindingAddress.StartsWith("whatsapp:", StringComparison.Ordinal) ? "whatsapp" : "sms",
                ["address"] = participant.BindingAddress,
                ["proxy_address"] = participant.ProxyAddress,
            },
        ["role_sid"] = participant.RoleSid,
        ["date_created"] = Date(participant.DateCreated),
        ["date_updated"] = Date(participant.DateUpdated),
        ["url"] = urls.Scoped($"/Conversations/{participant.ConversationSid}/Participants/{participant.Sid}"),
        ["last_read_message_index"] = participant.LastReadMessageIndex,
        ["last_read_timestamp"] = participant.LastReadTimestamp is { } read ? Date(read) : null,
    };

    public static JsonObject Message(string accountSid, MessageRecord message, Urls urls)
    {
        var url = urls.Scoped($"/Conversations/{message.ConversationSid}/Messages/{message.Sid}");
        return new()
        {
            ["account_sid"] = accountSid,
            ["chat_service_sid"] = message.ServiceSid,
            ["conversation_sid"] = message.ConversationSid,
            ["sid"] = message.Sid,
            ["index"] = message.Index,
            ["author"] = message.Author,
            ["body"] = message.Body,
            ["media"] = null,
            ["attributes"] = message.Attributes,
            ["participant_sid"] = message.ParticipantSid,
            ["date_created"] = Date(message.DateCreated),
            ["date_updated"] = Date(message.DateUpdated),
            ["delivery"] = null,
            ["content_sid"] = null,
            ["url"] = url,
            ["links"] = new JsonObject
            {
                ["delivery_receipts"] = url + "/Receipts",
                ["channel_metadata"] = url + "/ChannelMetadata",
            },
        };
    }

    public static JsonObject UserConversation(string accountSid, UserConversationView view, Urls urls)
    {
        var conversation = view.Conversation;
        var conversationUrl = urls.Scoped($"/Conversations/{conversation.Sid}");
        return new()
        {
            ["account_sid"] = accountSid,
            ["chat_service_sid"] = conversation.ServiceSid,
            ["conversation_sid"] = conversation.Sid,
            ["unread_messages_count"] = view.UnreadMessagesCount,
            ["last_read_message_index"] = view.Participant.LastReadMessageIndex,
            ["participant_sid"] = view.Participant.Sid,
            ["user_sid"] = view.User.Sid,
            ["friendly_name"] = conversation.FriendlyName,
            ["conversation_state"] = conversation.State,
            ["timers"] = new JsonObject(),
            ["attributes"] = conversation.Attributes,
            ["date_created"] = Date(conversation.DateCreated),
            ["date_updated"] = Date(conversation.DateUpdated),
            ["created_by"] = null,
            ["notification_level"] = "default",
            ["unique_name"] = conversation.UniqueName,
            ["url"] = urls.Scoped($"/Users/{view.User.Sid}/Conversations/{conversation.Sid}"),
            ["links"] = new JsonObject
            {
                ["participant"] = conversationUrl + "/Participants/" + view.Participant.Sid,
                ["conversation"] = conversationUrl,
            },
        };
    }

    /// <summary>A text in the emulator's SMS outbox (the emulator's own shape, camelCase).</summary>
    public static JsonObject Sms(SmsRecord sms) => new()
    {
        ["sid"] = sms.Sid,
        ["to"] = sms.To,
        ["from"] = sms.From,
        ["body"] = sms.Body,
        ["conversationSid"] = sms.ConversationSid,
        ["messageSid"] = sms.MessageSid,
        ["messageIndex"] = sms.MessageIndex,
        ["author"] = sms.Author,
        ["dateCreated"] = Date(sms.DateCreated),
    };

    public static JsonObject Error(int status, int code, string message) => new()
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    };
}
