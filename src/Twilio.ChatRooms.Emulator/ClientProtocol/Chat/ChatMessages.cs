using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Chat;

/// <summary>
/// Sending, editing and deleting messages as a chat user: each request is one operation of <see cref="MessageRules"/>,
/// which decides it (membership, the conversation role's sendMessage / editOwnMessage / editAnyMessage /
/// deleteOwnMessage / deleteAnyMessage, own by participant SID, never by author name) and writes it in one step of the
/// store, as for REST.
/// </summary>
internal sealed class ChatMessages(MessageRules messages)
{
    public JsonObject Send(TwilsockPrincipal p, string conversationSid, JsonObject body) =>
        Json(messages.Create(Actor.User(p.Identity), p.ServiceSid, conversationSid, null, ChatRules.Text(body, "body"), ChatRules.Text(body, "attributes"),
            MediaSids(body)));

    /// <summary>The SDK's <c>media_sids</c> (sendMessage with media, the message builder): the strings of its array.</summary>
    private static List<string> MediaSids(JsonObject body) => body["media_sids"] is JsonArray sids
        ? [.. sids.Select(s => s is JsonValue v && v.TryGetValue(out string? sid) ? sid : "")]
        : [];

    public JsonObject Edit(TwilsockPrincipal p, string conversationSid, string messageKey, JsonObject body) =>
        Json(messages.Update(Actor.User(p.Identity), p.ServiceSid, conversationSid, messageKey, null, ChatRules.Text(body, "body"),
            ChatRules.Text(body, "attributes")));

    public JsonObject Delete(TwilsockPrincipal p, string conversationSid, string messageKey)
    {
        messages.Delete(Actor.User(p.Identity), p.ServiceSid, conversationSid, messageKey);
        return [];
    }

    private static JsonObject Json(MessageRecord m) => new()
    {
        ["sid"] = m.Sid,
        ["index"] = m.Index,
        ["conversation_sid"] = m.ConversationSid,
        ["author"] = m.Author,
        ["body"] = m.Body,
    };
}
