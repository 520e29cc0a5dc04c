using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Messages;

/// <summary><c>/Conversations/{conversation}/Messages[/{IM or index}]</c>: list (<c>Order</c>), create, fetch, update, delete.</summary>
internal sealed class MessageEndpoints(MessageRules messages) : IRestResource
{
    private const string List = "Conversations/{conversation}/Messages";
    private const string One = List + "/{message}";

    public void Map(RestRoutes routes)
    {
        routes.Map("GET", List, ListPage);
        routes.Map("POST", List, r => RestResult.Created(Json(r, messages.Create(Actor.Account, r.ServiceSid, r["conversation"], r.Optional("Author"),
            r.Optional("Body"), r.Field("Attributes"), r.All("MediaSid")))), RateLimit.Conversation);
        routes.Map("GET", One, r => RestResult.Ok(Json(r, messages.Fetch(r.ServiceSid, r["conversation"], r["message"]))));
        routes.Map("POST", One, r => RestResult.Ok(Json(r, messages.Update(Actor.Account, r.ServiceSid, r["conversation"], r["message"], r.Optional("Author"),
            r.Optional("Body"), r.Optional("Attributes")))), RateLimit.Conversation);
        routes.Map("DELETE", One, r => RestResult.Deleted(() => messages.Delete(Actor.Account, r.ServiceSid, r["conversation"], r["message"])),
            RateLimit.Conversation);
    }

    private RestResult ListPage(RestRequest r)
    {
        string? order = r.Query["Order"];
        if (order is not (null or "" or "asc" or "desc"))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "Order must be asc or desc");
        }

        var descending = order == "desc";
        var query = Paging.Query(r.Query);
        var (items, window) = messages.Page(r.ServiceSid, r["conversation"], query, descending);
        // Made into JSON outside the store's lock: the records are immutable.
        return RestResult.Ok(Paging.Render(query, items, window, m => m.Index,
            r.Urls.Scoped($"/Conversations/{Uri.EscapeDataString(r["conversation"])}/Messages"), "messages", m => Json(r, m),
            string.IsNullOrEmpty(order) ? null : "Order=" + order));
    }

    private static JsonObject Json(RestRequest r, MessageRecord message) => MessageJson.Message(r.AccountSid, message, r.Urls);
}
