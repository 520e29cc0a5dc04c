using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Chat;

/// <summary>
/// Sending, editing and deleting messages for a participant, under the conversation role's permissions
/// (sendMessage, editOwnMessage / editAnyMessage, deleteOwnMessage / deleteAnyMessage), through the same rules as REST.
/// A message is the participant's own when it carries their participant SID, never by its author's name: a user named
/// like an SMS participant's number, or <c>system</c>, does not own the phone's texts or what the server sent.
/// </summary>
internal sealed class ChatMessages(ChatRules rules)
{
    public JsonObject Send(TwilsockPrincipal p, ParticipantRecord me, JsonObject body)
    {
        rules.RequireConversationPermission(me, TwilioPermissions.SendMessage);
        var message = rules.Messages.Create(p.ServiceSid, me.ConversationSid, p.Identity, ChatRules.Text(body, "body"), ChatRules.Text(body, "attributes"));
        return Json(message);
    }

    public JsonObject Edit(TwilsockPrincipal p, ParticipantRecord me, string messageKey, JsonObject body)
    {
        var message = rules.Messages.Fetch(p.ServiceSid, me.ConversationSid, messageKey);
        rules.RequireConversationPermission(me, TwilioPermissions.EditMessage(own: IsOwn(message, me)));
        var text = ChatRules.Text(body, "body");
        if (text is { Length: 0 })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.BodyRequired, "Message body not provided");
        }

        return Json(rules.Messages.Update(p.ServiceSid, me.ConversationSid, message.Sid, null, text, ChatRules.Text(body, "attributes")));
    }

    public JsonObject Delete(TwilsockPrincipal p, ParticipantRecord me, string messageKey)
    {
        var message = rules.Messages.Fetch(p.ServiceSid, me.ConversationSid, messageKey);
        rules.RequireConversationPermission(me, TwilioPermissions.DeleteMessage(own: IsOwn(message, me)));
        rules.Messages.Delete(p.ServiceSid, me.ConversationSid, message.Sid);
        return [];
    }

    private static bool IsOwn(MessageRecord message, ParticipantRecord me) => message.ParticipantSid == me.Sid;

    private static JsonObject Json(MessageRecord m) => new()
    {
        ["sid"] = m.Sid,
        ["index"] = m.Index,
        ["conversation_sid"] = m.ConversationSid,
        ["author"] = m.Author,
        ["body"] = m.Body,
    };
}
