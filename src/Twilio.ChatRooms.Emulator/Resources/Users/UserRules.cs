using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Resources.Users;

/// <summary>A user's membership of a conversation, as Twilio's user conversation resource shows it.</summary>
internal sealed record UserConversationView(UserRecord User, ParticipantRecord Participant, ConversationRecord Conversation,
    int? UnreadMessagesCount);

/// <summary>Users (one identity each in a service) and their conversations; deleting a user removes its participants.</summary>
internal sealed class UserRules(EmulatorStore store, TimeProvider time, ILogger<UserRules> logger, PreEventWebhooks? hooks = null)
{
    public IReadOnlyList<UserRecord> List(string serviceSid) => store.Read(s =>
    {
        s.Services.Get(serviceSid);   // 404 for an unknown service
        return s.Users.Values.Where(u => u.ServiceSid == serviceSid).OrderBy(u => u.Seq).ToList();
    });

    public UserRecord Fetch(string serviceSid, string key) => store.Read(s => s.Users.Get(serviceSid, key));

    /// <summary>The user with this SID or identity, or null.</summary>
    public UserRecord? Find(string serviceSid, string key) => store.Read(s => s.Users.Find(serviceSid, key));

    public UserRecord Create(string serviceSid, string? identity, string? roleSid, string? friendlyName, string? attributes)
    {
        var id = InputChecks.Identity(identity) ?? throw TwilioErrors.BadRequest(TwilioErrors.IdentityRequired, "Identity not provided");
        InputChecks.FriendlyName(friendlyName);
        var attrs = InputChecks.Attributes(attributes);
        var now = TwilioFormat.Now(time);
        var user = store.Write(s =>
        {
            var service = s.Services.Get(serviceSid);
            if (s.Users.Find(serviceSid, id) is not null)
            {
                throw TwilioErrors.Conflict(TwilioErrors.UserExists, $"User with the provided identity already exists: {id}");
            }

            var created = s.Users.AddNew(serviceSid, id, friendlyName, attrs, s.Roles.ServiceRoleFor(service, roleSid), now);
            s.Raise(new UserAdded(created));
            return created;
        });
        Log.Created(logger, "user", user.Sid);
        return user;
    }

    /// <summary>
    /// Changes a user in one write. A chat user changes their own friendly name and attributes with their service role's
    /// <c>editOwnUserInfo</c>, anyone else's with <c>editAnyUserInfo</c>, and never a role; the account changes anything.
    /// </summary>
    public UserRecord Update(Actor actor, string serviceSid, string key, string? roleSid, string? friendlyName, string? attributes)
    {
        InputChecks.FriendlyName(friendlyName);
        InputChecks.OptionalAttributes(attributes);
        var answer = hooks?.Ask(serviceSid, "onUserUpdate", () => store.Read(s =>
        {
            var current = s.Users.Get(serviceSid, key);
            return new (string, string?)[]
            {
                ("UserSid", current.Sid), ("Identity", current.Identity), ("FriendlyName", friendlyName ?? current.FriendlyName),
                ("Attributes", attributes ?? current.Attributes), ("RoleSid", roleSid ?? current.RoleSid), ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        })) ?? PreEventAnswer.Unchanged;
        friendlyName = answer.Or("FriendlyName", friendlyName);
        InputChecks.FriendlyName(friendlyName);
        var attrs = InputChecks.OptionalAttributes(answer.Or("Attributes", attributes));
        var now = TwilioFormat.Now(time);
        return store.Write(s =>
        {
            var user = s.Users.Get(serviceSid, key);
            if (actor.Identity is not null)
            {
                actor.RequireService(s, serviceSid, TwilioPermissions.EditUserInfo(own: user.Identity == actor.Identity));
                if (roleSid is not null)
                {
                    throw TwilioErrors.NotAllowed();
                }
            }

            var updated = user with
            {
                RoleSid = roleSid is null ? user.RoleSid : s.Roles.ServiceRoleFor(s.Services.Get(serviceSid), roleSid),
                FriendlyName = friendlyName ?? user.FriendlyName,
                Attributes = attrs ?? user.Attributes,
                DateUpdated = now,
            };
            s.Users.Replace(updated);
            s.Raise(new UserUpdated(updated));
            return updated;
        });
    }

    public void Delete(string serviceSid, string key) => store.Write(s =>
    {
        var user = s.Users.Get(serviceSid, key);
        foreach (var participant in s.Participants.Of(serviceSid, user.Identity).ToList())
        {
            s.Participants.Remove(participant);
            s.Raise(new ParticipantRemoved(participant, s.Conversations.Find(participant.ConversationSid)!));
        }

        s.Users.Remove(user);
        return true;
    });

    public IReadOnlyList<UserConversationView> ListConversations(string serviceSid, string key) => store.Read(s =>
    {
        var user = s.Users.Get(serviceSid, key);
        return s.Participants.Of(serviceSid, user.Identity).Select(p => View(s, user, p)).ToList();
    });

    public UserConversationView FetchConversation(string serviceSid, string userKey, string conversationKey) => store.Read(s =>
    {
        var user = s.Users.Get(serviceSid, userKey);
        var conversation = s.Conversations.Get(serviceSid, conversationKey);
        var participant = s.Participants.OfIn(conversation.Sid, user.Identity)
            ?? throw TwilioErrors.NotFound($"/Users/{user.Sid}/Conversations/{conversation.Sid}");
        return View(s, user, participant);
    });

    private static UserConversationView View(EmulatorState s, UserRecord user, ParticipantRecord participant)
    {
        var conversation = s.Conversations.Find(participant.ConversationSid)!;
        int? unread = participant.LastReadMessageIndex is { } last ? s.Messages.CountAfter(conversation.Sid, last) : null;
        return new UserConversationView(user, participant, conversation, unread);
    }
}
