using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Sync;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Chat;

/// <summary>
/// What an SDK user may do to conversations and their participants (client.createConversation, conversation.join,
/// leave, add, removeParticipant, updateFriendlyName / Attributes / UniqueName, delete), under Twilio's permissions:
/// the user's service role for creating, joining and deleting, their conversation role for the rest. The changes go
/// through the same rules as REST, so their events reach every SDK.
/// </summary>
internal sealed class ChatConversations(ChatRules rules)
{
    /// <summary>
    /// POST <c>Conversations</c>. The creator is not a participant yet (the SDK calls <c>join()</c> next, as on Twilio),
    /// but may read the conversation's document and join it.
    /// </summary>
    public JsonObject Create(TwilsockPrincipal p, JsonObject body, Func<string[], string> link)
    {
        var c = rules.Conversations.Create(Actor.User(p.Identity), p.ServiceSid, ChatRules.Text(body, "friendly_name"),
            ChatRules.Text(body, "unique_name"), ChatRules.Text(body, "attributes"), null);
        string Self(params string[] rest) => link(["Conversations", c.Sid, .. rest]);
        return new JsonObject
        {
            ["sid"] = c.Sid,
            ["url"] = Self(),
            ["links"] = new JsonObject { ["messages"] = Self("Messages"), ["participants"] = Self("Participants") },
            ["sync_objects"] = new JsonObject
            {
                ["conversation"] = SyncNames.Channel(c.Sid),
                ["messages"] = SyncNames.Messages(c.Sid),
                ["participants"] = SyncNames.Roster(c.Sid),
            },
        };
    }

    /// <summary>POST <c>Conversations/{sid}/Participants</c>: joining (one's own identity) or adding someone else.</summary>
    public JsonObject AddParticipant(TwilsockPrincipal p, string conversationSid, JsonObject body)
    {
        var binding = body["messaging_binding"] as JsonObject;
        return Json(rules.Participants.Create(Actor.User(p.Identity), p.ServiceSid, conversationSid, ChatRules.Text(body, "identity"), null,
            ChatRules.Text(body, "attributes"), binding is null ? null : ChatRules.Text(binding, "address"),
            binding is null ? null : ChatRules.Text(binding, "proxy_address")));
    }

    /// <summary>DELETE <c>Conversations/{sid}/Participants/{identity or MB sid}</c>: leaving, or removing someone.</summary>
    public JsonObject RemoveParticipant(TwilsockPrincipal p, string conversationSid, string key)
    {
        rules.Participants.Delete(Actor.User(p.Identity), p.ServiceSid, conversationSid, key);
        return [];
    }

    /// <summary>
    /// POST <c>Conversations/{sid}/Participants/{MB sid}</c>: participant.updateAttributes, one's own participant only
    /// (through the same rules, and pre-event webhook, as REST).
    /// </summary>
    public JsonObject UpdateParticipant(TwilsockPrincipal p, string conversationSid, string key, JsonObject body) =>
        Json(rules.Participants.Update(Actor.User(p.Identity), p.ServiceSid, conversationSid, key, null,
            ChatRules.Text(body, "attributes") ?? throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "attributes is required"), null));

    /// <summary>POST <c>Conversations/{sid}</c>: friendly name, unique name (<c>""</c> clears it) or attributes.</summary>
    public JsonObject Update(TwilsockPrincipal p, string conversationSid, JsonObject body)
    {
        var c = rules.Conversations.Update(Actor.User(p.Identity), p.ServiceSid, conversationSid, ChatRules.Text(body, "friendly_name"),
            ChatRules.Text(body, "unique_name"), ChatRules.Text(body, "attributes"), null);
        return new JsonObject { ["sid"] = c.Sid, ["friendly_name"] = c.FriendlyName, ["unique_name"] = c.UniqueName, ["attributes"] = c.Attributes };
    }

    /// <summary>DELETE <c>Conversations/{sid}</c>, with the service role's deleteConversation.</summary>
    public JsonObject Delete(TwilsockPrincipal p, string conversationSid)
    {
        rules.Conversations.Delete(Actor.User(p.Identity), p.ServiceSid, conversationSid);
        return [];
    }

    private static JsonObject Json(ParticipantRecord m) => new()
    {
        ["sid"] = m.Sid,
        ["conversation_sid"] = m.ConversationSid,
        ["identity"] = m.Identity,
        ["attributes"] = m.Attributes,
        ["role_sid"] = m.RoleSid,
    };
}
