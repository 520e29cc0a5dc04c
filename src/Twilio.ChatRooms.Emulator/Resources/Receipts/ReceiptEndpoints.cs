using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Receipts;

/// <summary><c>/Conversations/{conversation}/Messages/{message}/Receipts[/{DY}]</c>: list and fetch, as Twilio's API has them.</summary>
internal sealed class ReceiptEndpoints(ReceiptRules receipts) : IRestResource
{
    private const string List = "Conversations/{conversation}/Messages/{message}/Receipts";

    public void Map(RestRoutes routes)
    {
        routes.Map("GET", List, r => RestResult.Ok(Paging.Page(receipts.List(Actor.Account, r.ServiceSid, r["conversation"], r["message"]), x => x.Position, false,
            r.Query, r.Urls.Scoped($"/Conversations/{Uri.EscapeDataString(r["conversation"])}/Messages/{Uri.EscapeDataString(r["message"])}/Receipts"),
            "delivery_receipts", x => ReceiptJson.Receipt(r.AccountSid, x, Url(r, x)))));
        routes.Map("GET", List + "/{receipt}", r =>
        {
            var receipt = receipts.Fetch(Actor.Account, r.ServiceSid, r["conversation"], r["message"], r["receipt"]);
            return RestResult.Ok(ReceiptJson.Receipt(r.AccountSid, receipt, Url(r, receipt)));
        });
    }

    private static string Url(RestRequest r, ReceiptView x) => r.Urls.Scoped($"/Conversations/{x.Sms.ConversationSid}/Messages/{x.Sms.MessageSid}/Receipts/{x.Sid}");
}

/// <summary>Twilio's JSON for a delivery receipt (conversation_message_receipt in its API description).</summary>
internal static class ReceiptJson
{
    /// <summary>The receipt; the client face, which knows neither, passes no account and no URL.</summary>
    public static JsonObject Receipt(string? accountSid, ReceiptView receipt, string? url)
    {
        var sms = receipt.Sms;
        return new()
        {
            ["account_sid"] = accountSid,
            ["chat_service_sid"] = receipt.ServiceSid,
            ["conversation_sid"] = sms.ConversationSid,
            ["sid"] = receipt.Sid,
            ["message_sid"] = sms.MessageSid,
            ["channel_message_sid"] = sms.Sid,
            ["participant_sid"] = receipt.ParticipantSid,
            ["status"] = ReceiptRules.Status,
            ["error_code"] = 0,
            ["date_created"] = TwilioFormat.Date(sms.DateCreated),
            ["date_updated"] = TwilioFormat.Date(sms.DateCreated),
            ["url"] = url,
        };
    }
}
