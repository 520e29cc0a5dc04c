using System.Globalization;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>One Sync item: its key (a map's) or index (a list's), its data and the id of the last event on it.</summary>
internal sealed record SyncItem(string Key, long? Index, JsonObject Data, long LastEventId);

/// <summary>
/// Reads the Sync objects a connection may see, from the emulator's state: a user's own maps, anyone's user info,
/// and the document, messages and roster of a conversation the user is a participant of. Anything else is not found,
/// so a non-participant cannot even learn that a conversation exists.
/// </summary>
internal sealed class SyncReader(EmulatorStore store, SyncEventIds ids, TwilsockSessions sessions)
{
    /// <summary>The object's items in key or index order, or null when it is not there for this principal.</summary>
    public IReadOnlyList<SyncItem>? Items(TwilsockPrincipal principal, SyncObject o) => store.Read(s =>
    {
        var id = SyncNames.Of(o);
        switch (o.Kind)
        {
            case SyncObjectKind.MyConversations:
                if (o.ServiceSid != principal.ServiceSid || o.Key != principal.Identity)
                {
                    return null;
                }

                return s.Participants.Of(principal.ServiceSid, principal.Identity)
                    .OrderBy(p => p.ConversationSid, StringComparer.Ordinal)
                    .Select(p => new SyncItem(p.ConversationSid, null, SyncData.Membership(p), ids.OfItem(id, p.ConversationSid)))
                    .ToList();
            case SyncObjectKind.UserInfo:
                if (o.ServiceSid != principal.ServiceSid)
                {
                    return null;
                }

                return SyncData.UserInfo(s.Users.Find(o.ServiceSid, o.Key), o.Key, sessions.IsOnline(o.ServiceSid, o.Key))
                    .Select(i => new SyncItem(i.Key, null, i.Data, ids.OfItem(id, i.Key)))
                    .OrderBy(i => i.Key, StringComparer.Ordinal)
                    .ToList();
        }

        if (Conversation(s, principal, o.Key) is not { } conversation)
        {
            return null;
        }

        return o.Kind switch
        {
            SyncObjectKind.Messages => s.Messages.In(conversation.Sid)
                .Select(m => new SyncItem(m.Index.ToString(CultureInfo.InvariantCulture), m.Index, SyncData.Message(m), ids.OfItem(id, m.Index.ToString(CultureInfo.InvariantCulture))))
                .ToList(),
            SyncObjectKind.Roster => s.Participants.In(conversation.Sid)
                .OrderBy(p => p.Sid, StringComparer.Ordinal)
                .Select(p => new SyncItem(p.Sid, null, SyncData.Participant(p), ids.OfItem(id, p.Sid)))
                .ToList(),
            _ => [],
        };
    });

    /// <summary>The conversation document's data, or null when it is not there for this principal.</summary>
    public JsonObject? Document(TwilsockPrincipal principal, string conversationSid) => store.Read(s =>
        Conversation(s, principal, conversationSid, creatorMayRead: true) is { } conversation
            ? SyncData.Channel(conversation, s.Messages.In(conversation.Sid).LastOrDefault())
            : null);

    /// <summary>The document's data as anyone sees it, for events (no access check: the subscriber was checked).</summary>
    public JsonObject? DocumentForEvent(string conversationSid) => store.Read(s =>
        s.Conversations.Find(conversationSid) is { } conversation
            ? SyncData.Channel(conversation, s.Messages.In(conversation.Sid).LastOrDefault())
            : null);

    /// <summary>A user's info items for an event.</summary>
    public IReadOnlyList<(string Key, JsonObject Data)> UserInfoForEvent(string serviceSid, string identity) => store.Read(s =>
        SyncData.UserInfo(s.Users.Find(serviceSid, identity), identity, sessions.IsOnline(serviceSid, identity)).ToList());

    /// <summary>
    /// A conversation of the principal's service that the principal is a participant of; with
    /// <paramref name="creatorMayRead"/>, also one the principal created over the SDK and has not joined yet (the SDK
    /// subscribes to a conversation's document as it creates it, before it joins).
    /// </summary>
    private static ConversationRecord? Conversation(EmulatorState s, TwilsockPrincipal principal, string conversationSid, bool creatorMayRead = false) =>
        s.Conversations.Find(conversationSid) is { } c && c.ServiceSid == principal.ServiceSid
            && (s.Participants.OfIn(c.Sid, principal.Identity) is not null || (creatorMayRead && c.CreatedBy == principal.Identity))
            ? c
            : null;
}
