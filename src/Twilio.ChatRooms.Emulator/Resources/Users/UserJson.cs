using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Users;

/// <summary>Twilio's JSON for a user and a user conversation.</summary>
internal static class UserJson
{
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
            ["date_created"] = TwilioFormat.Date(user.DateCreated),
            ["date_updated"] = TwilioFormat.Date(user.DateUpdated),
            ["url"] = url,
            ["links"] = new JsonObject { ["user_conversations"] = url + "/Conversations" },
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
            ["date_created"] = TwilioFormat.Date(conversation.DateCreated),
            ["date_updated"] = TwilioFormat.Date(conversation.DateUpdated),
            ["created_by"] = null,
            ["notification_level"] = view.Participant.NotificationLevelOrDefault,
            ["unique_name"] = conversation.UniqueName,
            ["url"] = urls.Scoped($"/Users/{view.User.Sid}/Conversations/{conversation.Sid}"),
            ["links"] = new JsonObject
            {
                ["participant"] = conversationUrl + "/Participants/" + view.Participant.Sid,
                ["conversation"] = conversationUrl,
            },
        };
    }
}
