using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Roles;

/// <summary>Twilio's JSON for a role.</summary>
internal static class RoleJson
{
    public static JsonObject Role(string accountSid, RoleRecord role, Urls urls) => new()
    {
        ["sid"] = role.Sid,
        ["account_sid"] = accountSid,
        ["chat_service_sid"] = role.ServiceSid,
        ["friendly_name"] = role.FriendlyName,
        ["type"] = role.Type,
        ["permissions"] = new JsonArray([.. role.Permissions.Select(p => (JsonNode?)p)]),
        ["date_created"] = TwilioFormat.Date(role.DateCreated),
        ["date_updated"] = TwilioFormat.Date(role.DateUpdated),
        ["url"] = urls.Scoped($"/Roles/{role.Sid}"),
    };
}
