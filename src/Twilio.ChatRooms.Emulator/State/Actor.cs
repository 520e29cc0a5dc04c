using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// Who asks for a change: the account (the REST API with the account's credentials, where Twilio checks no participant
/// and no role), or a chat user over the client protocol, whose participant and conversation role decide. Each
/// resource's operations take one and decide with it inside the same write that makes the change, so a participant
/// removed between a check and the write cannot act.
/// </summary>
internal sealed record Actor
{
    private Actor(string? identity) => Identity = identity;

    /// <summary>The account: REST with its credentials.</summary>
    public static Actor Account { get; } = new((string?)null);

    /// <summary>The identity of a chat user (the client protocol); null for the account.</summary>
    public string? Identity { get; }

    /// <summary>A chat user, by the identity of their access token.</summary>
    public static Actor User(string identity) => new(identity);

    /// <summary>
    /// The conversation <paramref name="key"/> names (SID or unique name), as this actor may see it: any of the service
    /// for the account; for a user, only one they are a participant of (any other "does not exist", as Twilio hides it).
    /// </summary>
    public ConversationRecord Conversation(EmulatorState s, string serviceSid, string key)
    {
        if (Identity is null)
        {
            return s.Conversations.Get(serviceSid, key);
        }

        return s.Conversations.Find(serviceSid, key) is { } conversation
            && s.Participants.OfIn(conversation.Sid, Identity) is not null
                ? conversation
                : throw TwilioErrors.ConversationHidden(key);
    }

    /// <summary>
    /// The user's participant in <paramref name="conversation"/>, refused (403/50107) unless its conversation role grants
    /// what <paramref name="permission"/> names for it; null for the account, which needs no permission.
    /// </summary>
    public ParticipantRecord? Require(EmulatorState s, ConversationRecord conversation, Func<ParticipantRecord, string> permission)
    {
        if (Identity is null)
        {
            return null;
        }

        var me = Participant(s, conversation);
        return s.Roles.Grants(s.Services.Get(me.ServiceSid), me.RoleSid, TwilioPermissions.ConversationType, permission(me))
            ? me
            : throw TwilioErrors.NotAllowed();
    }

    /// <summary>
    /// The conversation a chat user asks to join as themselves: Twilio hides a conversation from a non-participant, so
    /// only one they created over the SDK (and can therefore know) is joinable, with their service role's
    /// <c>joinConversation</c>; any other "does not exist".
    /// </summary>
    public ConversationRecord Joinable(EmulatorState s, string serviceSid, string key)
    {
        var conversation = s.Conversations.Find(key) is { } found && found.ServiceSid == serviceSid && found.CreatedBy == Identity
            ? found
            : throw TwilioErrors.ConversationHidden(key);
        RequireService(s, serviceSid, TwilioPermissions.JoinConversation);
        return conversation;
    }

    /// <summary>The user's own participant in <paramref name="conversation"/>; to a non-participant it does not exist.</summary>
    public ParticipantRecord Participant(EmulatorState s, ConversationRecord conversation) =>
        Identity is not null && s.Participants.OfIn(conversation.Sid, Identity) is { } me
            ? me
            : throw TwilioErrors.ConversationHidden(conversation.Sid);

    /// <summary>Refuses (403/50107) a user whose service role does not grant <paramref name="permission"/>; the account passes.</summary>
    public void RequireService(EmulatorState s, string serviceSid, string permission)
    {
        if (Identity is not null
            && !s.Roles.Grants(s.Services.Get(serviceSid), s.Users.Get(serviceSid, Identity).RoleSid, TwilioPermissions.ServiceType, permission))
        {
            throw TwilioErrors.NotAllowed();
        }
    }
}
