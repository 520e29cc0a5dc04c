using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Webhooks;

/// <summary>
/// <c>/v1/Configuration/Webhooks</c> (the account's), <c>/v1/Services/{IS}/Configuration/Webhooks</c> (a service's):
/// fetch and update; <c>/Conversations/{conversation}/Webhooks[/{WH}]</c>: list, create, fetch, update, delete.
/// </summary>
internal sealed class WebhookEndpoints(WebhookRules webhooks) : IRestResource
{
    private const string List = "Conversations/{conversation}/Webhooks";
    private const string One = List + "/{webhook}";

    public void Map(RestRoutes routes)
    {
        routes.Map("GET", "Configuration/Webhooks", r => RestResult.Ok(Config(r, webhooks.Config(Scope(r)))));
        routes.Map("POST", "Configuration/Webhooks", r => RestResult.Ok(Config(r, webhooks.UpdateConfig(Scope(r), r.Optional("PreWebhookUrl"),
            r.Optional("PostWebhookUrl"), r.Optional("Method"), Filters(r, "Filters"), r.Scoped ? Refused(r, "Target") : r.Optional("Target")))));

        routes.Map("GET", List, r => RestResult.Ok(Paging.Page(webhooks.List(r.ServiceSid, r["conversation"]), w => w.Seq, false, r.Query,
            r.Urls.Scoped($"/Conversations/{Uri.EscapeDataString(r["conversation"])}/Webhooks"), "webhooks", w => Json(r, w))));
        routes.Map("POST", List, r => RestResult.Created(Json(r, webhooks.Create(r.ServiceSid, r["conversation"], r.Field("Target"),
            r.Field("Configuration.Url"), r.Field("Configuration.Method"), r.All("Configuration.Filters"),
            InputChecks.Integer(r.Field("Configuration.ReplayAfter"), TwilioErrors.InvalidParameter, "Configuration.ReplayAfter")))));
        routes.Map("GET", One, r => RestResult.Ok(Json(r, webhooks.Fetch(r.ServiceSid, r["conversation"], r["webhook"]))));
        routes.Map("POST", One, r => RestResult.Ok(Json(r, webhooks.Update(r.ServiceSid, r["conversation"], r["webhook"],
            r.Optional("Configuration.Url"), r.Optional("Configuration.Method"), Filters(r, "Configuration.Filters")))));
        routes.Map("DELETE", One, r => RestResult.Deleted(() => webhooks.Delete(r.ServiceSid, r["conversation"], r["webhook"])));
    }

    /// <summary>The account's configuration at <c>/v1/Configuration/Webhooks</c>, the service's under <c>/v1/Services/{IS}</c>.</summary>
    private static string Scope(RestRequest r) => r.Scoped ? r.ServiceSid : r.AccountSid;

    /// <summary>Null when the field was not sent (keep), else its values: sent only empty (<c>Filters=</c>), it clears them.</summary>
    private static List<string>? Filters(RestRequest r, string name) => r.Has(name) ? r.All(name) : null;

    /// <summary>A service's configuration has no target (Twilio's OpenAPI lists none for it).</summary>
    private static string? Refused(RestRequest r, string name) => r.Optional(name) is null
        ? null
        : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"{name} is not a parameter of a service's webhook configuration");

    private static JsonObject Config(RestRequest r, WebhookConfigRecord config)
    {
        var json = new JsonObject { ["account_sid"] = r.AccountSid };
        if (r.Scoped)
        {
            json["chat_service_sid"] = config.Sid;
        }

        json["pre_webhook_url"] = config.PreWebhookUrl;
        json["post_webhook_url"] = config.PostWebhookUrl;
        json["method"] = config.Method;
        json["filters"] = new JsonArray([.. config.Filters.Select(f => (JsonNode)f)]);
        if (!r.Scoped)
        {
            json["target"] = config.Target;
        }

        json["url"] = r.Scoped ? r.Urls.Versioned($"/Services/{config.Sid}/Configuration/Webhooks") : r.Urls.Versioned("/Configuration/Webhooks");
        return json;
    }

    private static JsonObject Json(RestRequest r, ConversationWebhookRecord webhook)
    {
        var json = new JsonObject { ["sid"] = webhook.Sid, ["account_sid"] = r.AccountSid };
        if (r.Scoped)
        {
            json["chat_service_sid"] = webhook.ServiceSid;
        }

        json["conversation_sid"] = webhook.ConversationSid;
        json["target"] = webhook.Target;
        json["url"] = r.Urls.Scoped($"/Conversations/{webhook.ConversationSid}/Webhooks/{webhook.Sid}");
        json["configuration"] = new JsonObject
        {
            ["url"] = webhook.Url,
            ["method"] = webhook.Method.ToLowerInvariant(),   // as Twilio answers it (its enum for a scoped webhook is get | post)
            ["filters"] = new JsonArray([.. webhook.Filters.Select(f => (JsonNode)f)]),
        };
        json["date_created"] = TwilioFormat.Date(webhook.DateCreated);
        json["date_updated"] = TwilioFormat.Date(webhook.DateUpdated);
        return json;
    }
}
