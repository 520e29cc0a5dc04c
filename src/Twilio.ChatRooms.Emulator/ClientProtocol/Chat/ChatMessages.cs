using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Chat;

/// <summary>
/// Sending, editing and deleting messages for a participant, under the conversation role's permissions
/// (sendMessage, editOwnMessage / editAnyMessage, deleteOwnMessage / deleteAnyMessage), through the same rules as REST.
/// </summary>
internal sealed class ChatMessages(ChatRules rules)
{
    public JsonObject Send(TwilsockPrincipal p, ParticipantRecord me, JsonObject body)
    {
        Require(p, me, TwilioPermissions.SendMessage);
        var message = rules.Messages.Create(p.ServiceSid, me.ConversationSid, p.Identity, Text(body, "body"), Text(body, "attributes"));
        return Json(message);
    }

    public JsonObject Edit(TwilsockPrincipal p, ParticipantRecord me, string messageKey, JsonObject body)
    {
        var message = rules.Messages.Fetch(p.ServiceSid, me.ConversationSid, messageKey);
        Require(p, me, TwilioPermissions.EditMessage(own: message.Author == p.Identity));
        var text = Text(body, "body");
        if (text is { Length: 0 })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.BodyRequired, "Message body not provided");
        }

        return Json(rules.Messages.Update(p.ServiceSid, me.ConversationSid, message.Sid, null, text, Text(body, "attributes")));
    }

    public JsonObject Delete(TwilsockPrincipal p, ParticipantRecord me, string messageKey)
    {
        var message = rules.Messages.Fetch(p.ServiceSid, me.ConversationSid, messageKey);
        Require(p, me, TwilioPermissions.DeleteMessage(own: message.Author == p.Identity));
        rules.Messages.Delete(p.ServiceSid, me.ConversationSid, message.Sid);
        return [];
    }

    private void Require(TwilsockPrincipal p, ParticipantRecord me, string permission)
    {
        if (!rules.Roles.Grants(p.ServiceSid, me.RoleSid, TwilioPermissions.ConversationType, permission))
        {
            throw TwilioErrors.NotAllowed();
        }
    }

    private static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static JsonObject Json(MessageRecord m) => new()
    {
        ["sid"] = m.Sid,
        ["index"] = m.Index,
        ["conversation_sid"] = m.ConversationSid,
        ["author"] = m.Author,
        ["body"] = m.Body,
    };
}
