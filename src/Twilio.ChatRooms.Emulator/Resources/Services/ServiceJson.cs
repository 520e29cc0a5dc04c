using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Services;

/// <summary>Twilio's JSON for the account configuration, a service and its configuration.</summary>
internal static class ServiceJson
{
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
            ["date_created"] = TwilioFormat.Date(service.DateCreated),
            ["date_updated"] = TwilioFormat.Date(service.DateCreated),
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
}
