using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Sms;

/// <summary>
/// The emulator's own endpoints beside the REST API: <c>POST sms/inbound</c> takes a text as Twilio's incoming-SMS
/// webhook describes it (<c>From</c>, <c>To</c>, <c>Body</c>); <c>GET sms/outbox</c> lists the texts sent to SMS participants.
/// </summary>
internal sealed class SmsEndpoints(SmsRules sms) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.MapUnscoped("POST", "sms/inbound", r => RestResult.Created(new JsonObject
        {
            ["messages"] = new JsonArray([.. sms.Receive(r.Field("From"), r.Field("To"), r.Field("Body"))
                .Select(m => (JsonNode?)MessageJson.Message(r.AccountSid, m, r.UrlsFor(m.ServiceSid)))]),
        }));
        routes.MapUnscoped("GET", "sms/outbox", r => RestResult.Ok(new JsonObject
        {
            ["messages"] = new JsonArray([.. sms.Outbox(r.Query["to"]).Select(m => (JsonNode?)Json(m))]),
        }));
    }

    /// <summary>A text in the outbox (the emulator's own shape, camelCase).</summary>
    private static JsonObject Json(SmsRecord sms) => new()
    {
        ["sid"] = sms.Sid,
        ["to"] = sms.To,
        ["from"] = sms.From,
        ["body"] = sms.Body,
        ["conversationSid"] = sms.ConversationSid,
        ["messageSid"] = sms.MessageSid,
        ["messageIndex"] = sms.MessageIndex,
        ["author"] = sms.Author,
        ["dateCreated"] = TwilioFormat.Date(sms.DateCreated),
    };
}
