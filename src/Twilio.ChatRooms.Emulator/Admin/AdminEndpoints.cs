using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>
/// The emulator's own admin endpoints beside the REST API, with its credentials: <c>POST admin/reset</c> (everything
/// but the credentials), <c>POST admin/seed</c> (the form field <c>Seed</c>: a seed file's JSON or YAML), snapshots
/// (<c>POST admin/snapshots</c> with <c>Name</c> and <c>Replace</c>, <c>GET admin/snapshots</c>,
/// <c>POST admin/snapshots/{name}/restore</c>, <c>DELETE admin/snapshots/{name}</c>) and <c>GET webhooks/deliveries</c>
/// (the latest attempts to deliver a webhook, newest first).
/// </summary>
internal sealed class AdminEndpoints(AdminRules admin, SnapshotRules snapshots, WebhookDeliveryLog deliveries) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.MapUnscoped("POST", "admin/reset", _ => RestResult.Ok(new JsonObject { ["removed"] = Json(admin.Reset()) }));
        routes.MapUnscoped("POST", "admin/seed", r => RestResult.Created(new JsonObject
        {
            ["created"] = Json(admin.Seed(EmulatorSeed.Parse(r.Field("Seed")))),
        }));
        routes.MapUnscoped("POST", "admin/snapshots", r => RestResult.Created(Json(snapshots.Take(r.Optional("Name"),
            string.Equals(r.Optional("Replace"), "true", StringComparison.OrdinalIgnoreCase)))));
        routes.MapUnscoped("GET", "admin/snapshots", _ => RestResult.Ok(new JsonObject
        {
            ["snapshots"] = new JsonArray([.. snapshots.List().Select(Json)]),
        }));
        routes.MapUnscoped("POST", "admin/snapshots/{name}/restore", r => RestResult.Ok(new JsonObject
        {
            ["restored"] = Json(snapshots.Restore(r["name"])),
        }));
        routes.MapUnscoped("DELETE", "admin/snapshots/{name}", r => RestResult.Deleted(() => snapshots.Delete(r["name"])));
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

    private static JsonObject Json(SnapshotInfo snapshot) => new()
    {
        ["name"] = snapshot.Name,
        ["date_created"] = TwilioFormat.Date(snapshot.DateCreated),
        ["records"] = snapshot.Records,
        ["media_files"] = snapshot.MediaFiles,
        ["media_bytes"] = snapshot.MediaBytes,
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
