using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Resources.Users;

/// <summary><c>/Users[/{US or identity}]</c> and <c>/Users/{user}/Conversations[/{CH}]</c>.</summary>
internal sealed class UserEndpoints(UserRules users) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.Map("GET", "Users", r => RestResult.Ok(Paging.Page(users.List(r.ServiceSid), u => u.Seq, false, r.Query,
            r.Urls.Scoped("/Users"), "users", u => Json(r, u), maxPageSize: Paging.SmallMaxPageSize)));
        routes.Map("POST", "Users", r => RestResult.Created(Json(r, users.Create(r.ServiceSid, r.Field("Identity"), r.Field("RoleSid"),
            r.Field("FriendlyName"), r.Field("Attributes")))), RateLimit.Users);
        routes.Map("GET", "Users/{user}", r => RestResult.Ok(Json(r, users.Fetch(r.ServiceSid, r["user"]))));
        routes.Map("POST", "Users/{user}", r => RestResult.Ok(Json(r, users.Update(Actor.Account, r.ServiceSid, r["user"], r.Optional("RoleSid"),
            r.Optional("FriendlyName"), r.Optional("Attributes")))), RateLimit.Users);
        routes.Map("DELETE", "Users/{user}", r => RestResult.Deleted(() => users.Delete(r.ServiceSid, r["user"])), RateLimit.Users);
        routes.Map("GET", "Users/{user}/Conversations", r => RestResult.Ok(Paging.Page(users.ListConversations(r.ServiceSid, r["user"]),
            v => v.Participant.Seq, false, r.Query, r.Urls.Scoped($"/Users/{Uri.EscapeDataString(r["user"])}/Conversations"), "conversations",
            v => Membership(r, v), maxPageSize: Paging.SmallMaxPageSize)));
        routes.Map("GET", "Users/{user}/Conversations/{conversation}", r =>
            RestResult.Ok(Membership(r, users.FetchConversation(r.ServiceSid, r["user"], r["conversation"]))));
    }

    private static JsonObject Json(RestRequest r, UserRecord user) => UserJson.User(r.AccountSid, user, r.Urls);

    private static JsonObject Membership(RestRequest r, UserConversationView view) => UserJson.UserConversation(r.AccountSid, view, r.Urls);
}
