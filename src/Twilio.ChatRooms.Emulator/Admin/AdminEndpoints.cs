using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>
/// The emulator's own admin endpoints beside the REST API, with its credentials: <c>POST admin/reset</c> (everything
/// but the credentials), <c>POST admin/seed</c> (the form field <c>Seed</c>: a seed file's JSON) and
/// <c>GET webhooks/deliveries</c> (the latest attempts to deliver a webhook, newest first).
/// </summary>
internal sealed class AdminEndpoints(AdminRules admin, WebhookDeliveryLog deliveries) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.MapUnscoped("POST", "admin/reset", _ => RestResult.Ok(new JsonObject { ["removed"] = Json(admin.Reset()) }));
        routes.MapUnscoped("POST", "admin/seed", r => RestResult.Created(new JsonObject
        {
            ["created"] = Json(admin.Seed(EmulatorSeed.Parse(r.Field("Seed")))),
        }));
        routes.MapUnscoped("GET", "webhooks/deliveries", _ => RestResult.Ok(new JsonObject
        {
            ["deliveries"] = new JsonArray([.. deliveries.Recent().Select(Json)]),
        }));
    }

    private static JsonObject Json(WebhookDeliveryEntry e) => new()
    {
        ["sid"] = e.Sid,
        ["event_type"] = e.EventType,
        ["url"] = e.Url,
        ["method"] = e.Method,
        ["attempt"] = e.Attempt,
        ["outcome"] = e.Outcome,
        ["status"] = e.Status,
        ["duration_ms"] = (long)e.Duration.TotalMilliseconds,
        ["error"] = e.Error,
        ["payload"] = new JsonObject([.. e.Payload.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
        ["response"] = e.Response,
        ["date"] = TwilioFormat.Date(e.Date),
    };

    private static JsonObject Json(StateCounts counts) => new()
    {
        ["roles"] = counts.Roles,
        ["users"] = counts.Users,
        ["conversations"] = counts.Conversations,
        ["participants"] = counts.Participants,
        ["messages"] = counts.Messages,
    };
}
