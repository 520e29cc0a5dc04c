using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Participants;

/// <summary>Twilio's JSON for a participant.</summary>
internal static class ParticipantJson
{
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
        ["date_created"] = TwilioFormat.Date(participant.DateCreated),
        ["date_updated"] = TwilioFormat.Date(participant.DateUpdated),
        ["url"] = urls.Scoped($"/Conversations/{participant.ConversationSid}/Participants/{participant.Sid}"),
        ["last_read_message_index"] = participant.LastReadMessageIndex,
        ["last_read_timestamp"] = participant.LastReadTimestamp is { } read ? TwilioFormat.Date(read) : null,
    };
}
