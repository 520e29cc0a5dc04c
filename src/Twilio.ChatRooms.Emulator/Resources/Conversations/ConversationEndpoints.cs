using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Resources.Conversations;

/// <summary><c>/Conversations[/{CH or UniqueName}]</c>: list, create, fetch, update, delete.</summary>
internal sealed class ConversationEndpoints(ConversationRules conversations) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.Map("GET", "Conversations", r => RestResult.Ok(Paging.Page(conversations.List(r.ServiceSid), c => c.Seq, false, r.Query,
            r.Urls.Scoped("/Conversations"), "conversations", c => Json(r, c))));
        routes.Map("POST", "Conversations", r => RestResult.Created(Json(r, conversations.Create(Actor.Account, r.ServiceSid, r.Field("FriendlyName"),
            r.Optional("UniqueName"), r.Field("Attributes"), r.Optional("State")))), RateLimit.Conversations);
        routes.Map("GET", "Conversations/{conversation}", r => RestResult.Ok(Json(r, conversations.Fetch(r.ServiceSid, r["conversation"]))));
        routes.Map("POST", "Conversations/{conversation}", r => RestResult.Ok(Json(r, conversations.Update(Actor.Account, r.ServiceSid, r["conversation"],
            r.Optional("FriendlyName"), r.Optional("UniqueName"), r.Optional("Attributes"), r.Optional("State")))));
        routes.Map("DELETE", "Conversations/{conversation}", r => RestResult.Deleted(() => conversations.Delete(Actor.Account, r.ServiceSid, r["conversation"])),
            RateLimit.Conversations);
    }

    private static JsonObject Json(RestRequest r, ConversationRecord conversation) => ConversationJson.Conversation(r.AccountSid, conversation, r.Urls);
}
