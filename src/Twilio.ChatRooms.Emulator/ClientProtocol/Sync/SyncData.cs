using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Receipts;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// The data of each Sync object and item, shaped as @twilio/conversations 3.0.1 reads it (conversation.js, message.js,
/// participant.js, user.js, data/conversations.js). Attributes stay JSON strings, as the SDK parses them itself.
/// </summary>
internal static class SyncData
{
    /// <summary>The conversation document.</summary>
    public static JsonObject Channel(ConversationRecord c, MessageRecord? last) => new()
    {
        ["friendlyName"] = c.FriendlyName,
        ["uniqueName"] = c.UniqueName,
        ["attributes"] = c.Attributes,
        ["createdBy"] = c.CreatedBy ?? "system",
        ["dateCreated"] = TwilioFormat.Date(c.DateCreated),
        ["dateUpdated"] = TwilioFormat.Date(c.DateUpdated),
        ["lastMessage"] = last is null ? null : new JsonObject { ["index"] = last.Index, ["timestamp"] = TwilioFormat.Date(last.DateCreated) },
        ["state"] = new JsonObject { ["current"] = c.State, ["dateUpdated"] = TwilioFormat.Date(c.DateUpdated) },
        ["messages"] = SyncNames.Messages(c.Sid),
        ["roster"] = SyncNames.Roster(c.Sid),
    };

    /// <summary>A message, the item of the messages list at its index.</summary>
    public static JsonObject Message(MessageRecord m) => (JsonObject)JsonNode.Parse(JsonBytes.Write(m, WriteMessage))!;

    /// <summary>
    /// Writes <see cref="Message"/>'s item: the one definition of its shape. Written directly, because every message
    /// sent goes out as an event with it, to every subscriber.
    /// </summary>
    public static void WriteMessage(Utf8JsonWriter w, MessageRecord m)
    {
        w.WriteStartObject();
        w.WriteString("sid", m.Sid);
        w.WriteString("text", m.Body);
        w.WriteString("author", m.Author);
        w.WriteString("attributes", m.Attributes);
        w.WriteString("timestamp", TwilioFormat.Date(m.DateCreated));
        w.WriteString("dateUpdated", TwilioFormat.Date(m.DateUpdated));
        // Who changed it last (the SDK's message.lastUpdatedBy): a reaction is someone else's change of the author's message.
        w.WriteString("lastUpdatedBy", m.LastUpdatedBy ?? (m.DateUpdated > m.DateCreated ? m.Author : null));
        w.WriteString("type", m.Media is null ? "text" : "media");
        w.WriteString("memberSid", m.ParticipantSid);
        if (m.Delivery is { } delivery)
        {
            // The SDK's aggregatedDeliveryReceipt (message.js reads data.delivery; it ignores one missing any field).
            w.WriteStartObject("delivery");
            w.WriteNumber("total", delivery.Total);
            w.WriteString("sent", ReceiptRules.Name(delivery.Sent));
            w.WriteString("delivered", ReceiptRules.Name(delivery.Delivered));
            w.WriteString("read", ReceiptRules.Name(delivery.Read));
            w.WriteString("undelivered", ReceiptRules.Name(delivery.Undelivered));
            w.WriteString("failed", ReceiptRules.Name(delivery.Failed));
            w.WriteEndObject();
        }

        if (m.Media is { } media)
        {
            // The SDK's attachedMedia: each file as {sid, category, filename, contentType, size} (message.js).
            w.WriteStartArray("medias");
            foreach (var file in media)
            {
                w.WriteStartObject();
                w.WriteString("sid", file.Sid);
                w.WriteString("category", file.Category);
                w.WriteString("filename", file.Filename);
                w.WriteString("contentType", file.ContentType);
                w.WriteNumber("size", file.Size);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>A participant, the item of the roster map at its SID.</summary>
    public static JsonObject Participant(ParticipantRecord p) => new()
    {
        ["identity"] = p.Identity,
        ["type"] = p.Identity is null ? "sms" : "chat",
        ["attributes"] = p.Attributes,
        ["dateCreated"] = TwilioFormat.Date(p.DateCreated),
        ["dateUpdated"] = TwilioFormat.Date(p.DateUpdated),
        ["roleSid"] = p.RoleSid,
        ["lastConsumedMessageIndex"] = p.LastReadMessageIndex,
        ["lastConsumptionTimestamp"] = p.LastReadTimestamp is { } t ? TwilioFormat.Date(t) : null,
        ["userInfo"] = p.Identity is null ? null : SyncNames.UserInfo(p.ServiceSid, p.Identity),
        ["bindings"] = p.BindingAddress is null ? null : new JsonObject
        {
            ["sms"] = new JsonObject { ["address"] = p.BindingAddress, ["proxy_address"] = p.ProxyAddress },
        },
    };

    /// <summary>A conversation as its participant sees it: the item of their my-conversations map.</summary>
    public static JsonObject Membership(ParticipantRecord p) => new()
    {
        ["channel"] = SyncNames.Channel(p.ConversationSid),
        ["messages"] = SyncNames.Messages(p.ConversationSid),
        ["roster"] = SyncNames.Roster(p.ConversationSid),
        ["status"] = "joined",
        ["lastConsumedMessageIndex"] = p.LastReadMessageIndex,
        ["notificationLevel"] = p.NotificationLevelOrDefault,
    };

    /// <summary>The items of a user's info map: friendlyName, attributes and reachability.</summary>
    public static IEnumerable<(string Key, JsonObject Data)> UserInfo(UserRecord? user, string identity, bool online)
    {
        yield return ("friendlyName", new JsonObject { ["value"] = user?.FriendlyName ?? identity });
        yield return ("attributes", new JsonObject { ["value"] = user?.Attributes ?? "{}" });
        yield return ("reachability", new JsonObject { ["online"] = online, ["notifiable"] = false });
    }
}
