using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Resources.Roles;

/// <summary><c>/Roles[/{RL}]</c>: list, create, fetch, update (permissions), delete.</summary>
internal sealed class RoleEndpoints(RoleRules roles) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.Map("GET", "Roles", r => RestResult.Ok(Paging.Page(roles.List(r.ServiceSid), x => x.Seq, false, r.Query,
            r.Urls.Scoped("/Roles"), "roles", x => Json(r, x), maxPageSize: Paging.SmallMaxPageSize)));
        routes.Map("POST", "Roles", r => RestResult.Created(Json(r, roles.Create(r.ServiceSid, r.Field("FriendlyName"), r.Field("Type"), r.All("Permission")))));
        routes.Map("GET", "Roles/{role}", r => RestResult.Ok(Json(r, roles.Fetch(r.ServiceSid, r["role"]))));
        routes.Map("POST", "Roles/{role}", r => RestResult.Ok(Json(r, roles.Update(r.ServiceSid, r["role"], r.All("Permission")))));
        routes.Map("DELETE", "Roles/{role}", r => RestResult.Deleted(() => roles.Delete(r.ServiceSid, r["role"])));
    }

    private static System.Text.Json.Nodes.JsonObject Json(RestRequest r, RoleRecord role) => RoleJson.Role(r.AccountSid, role, r.Urls);
}
