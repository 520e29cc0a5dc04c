using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Receipts;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Messages;

/// <summary>Twilio's JSON for a message.</summary>
internal static class MessageJson
{
    public static JsonObject Message(string accountSid, MessageRecord message, Urls urls)
    {
        var url = urls.Scoped($"/Conversations/{message.ConversationSid}/Messages/{message.Sid}");
        return new()
        {
            ["account_sid"] = accountSid,
            ["chat_service_sid"] = message.ServiceSid,
            ["conversation_sid"] = message.ConversationSid,
            ["sid"] = message.Sid,
            ["index"] = message.Index,
            ["author"] = message.Author,
            ["body"] = message.Body,
            ["media"] = Media(message.Media),
            ["attributes"] = message.Attributes,
            ["participant_sid"] = message.ParticipantSid,
            ["date_created"] = TwilioFormat.Date(message.DateCreated),
            ["date_updated"] = TwilioFormat.Date(message.DateUpdated),
            ["delivery"] = Delivery(message.Delivery),
            ["content_sid"] = null,
            ["url"] = url,
            ["links"] = new JsonObject
            {
                ["delivery_receipts"] = url + "/Receipts",
                ["channel_metadata"] = url + "/ChannelMetadata",
            },
        };
    }

    /// <summary>Twilio's <c>delivery</c>: the aggregated receipt, null for a message that went to no non-chat participant.</summary>
    private static JsonObject? Delivery(DeliverySummary? d) => d is null ? null : new()
    {
        ["total"] = d.Total,
        ["sent"] = ReceiptRules.Name(d.Sent),
        ["delivered"] = ReceiptRules.Name(d.Delivered),
        ["read"] = ReceiptRules.Name(d.Read),
        ["undelivered"] = ReceiptRules.Name(d.Undelivered),
        ["failed"] = ReceiptRules.Name(d.Failed),
    };

    /// <summary>Twilio's <c>media</c>: each file's sid, size, content_type and filename; null without files.</summary>
    private static JsonArray? Media(IReadOnlyList<MessageMedia>? media) => media is null ? null : new JsonArray([.. media.Select(m => (JsonNode)new JsonObject
    {
        ["sid"] = m.Sid,
        ["size"] = m.Size,
        ["content_type"] = m.ContentType,
        ["filename"] = m.Filename,
    })]);
}
