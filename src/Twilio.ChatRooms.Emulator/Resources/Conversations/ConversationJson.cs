using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Conversations;

/// <summary>Twilio's JSON for a conversation.</summary>
internal static class ConversationJson
{
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
            ["date_created"] = TwilioFormat.Date(conversation.DateCreated),
            ["date_updated"] = TwilioFormat.Date(conversation.DateUpdated),
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
}
