using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>
/// The emulator's own admin endpoints beside the REST API, with its credentials: <c>POST admin/reset</c> (everything
/// but the credentials) and <c>POST admin/seed</c> (the form field <c>Seed</c>: a seed file's JSON).
/// </summary>
internal sealed class AdminEndpoints(AdminRules admin) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.MapUnscoped("POST", "admin/reset", _ => RestResult.Ok(new JsonObject { ["removed"] = Json(admin.Reset()) }));
        routes.MapUnscoped("POST", "admin/seed", r => RestResult.Created(new JsonObject
        {
            ["created"] = Json(admin.Seed(EmulatorSeed.Parse(r.Field("Seed")))),
        }));
    }

    private static JsonObject Json(StateCounts counts) => new()
    {
        ["roles"] = counts.Roles,
        ["users"] = counts.Users,
        ["conversations"] = counts.Conversations,
        ["participants"] = counts.Participants,
        ["messages"] = counts.Messages,
    };
}
