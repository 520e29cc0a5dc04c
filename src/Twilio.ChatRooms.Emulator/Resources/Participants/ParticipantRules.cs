using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Resources.Participants;

/// <summary>
/// Participants: a chat identity (backed by a user, created when missing) or an SMS binding (address and proxy address,
/// unique in the service), within Twilio's count limits.
/// </summary>
internal sealed class ParticipantRules(EmulatorStore store, TimeProvider time, ILogger<ParticipantRules> logger, PreEventWebhooks? hooks = null)
{
    public IReadOnlyList<ParticipantRecord> List(string serviceSid, string conversationKey) => store.Read(s =>
        s.Participants.In(s.Conversations.Get(serviceSid, conversationKey).Sid).ToList());

    public ParticipantRecord Fetch(string serviceSid, string conversationKey, string key) =>
        store.Read(s => s.Participants.Get(s.Conversations.Get(serviceSid, conversationKey), key));

    /// <summary>
    /// A chat user's own participant in the conversation, by the one visibility rule of <see cref="Actor.Conversation"/>:
    /// for anyone else the conversation does not exist.
    /// </summary>
    public ParticipantRecord Mine(Actor actor, string serviceSid, string conversationKey) =>
        store.Read(s => actor.Participant(s, actor.Conversation(s, serviceSid, conversationKey)));

    /// <summary>The conversations <paramref name="identity"/> is a participant of, oldest first; none for an unknown identity.</summary>
    public IReadOnlyList<ConversationRecord> ConversationsOf(string serviceSid, string identity) => store.Read(s =>
        s.Participants.Of(serviceSid, identity).Select(p => s.Conversations.Find(p.ConversationSid)!).OrderBy(c => c.Seq).ToList());

    /// <summary>An identity's participants in every service.</summary>
    public IReadOnlyList<ParticipantRecord> MembershipsOf(string identity) => store.Read(s =>
        s.Services.Values.SelectMany(service => s.Participants.Of(service.Sid, identity)).ToList());

    /// <summary>
    /// Adds a participant in one write. A chat user joins as themselves (a conversation they created, with
    /// <c>joinConversation</c>) or, taking part, adds someone with <c>addParticipant</c>; the account adds anyone.
    /// </summary>
    public ParticipantRecord Create(Actor actor, string serviceSid, string conversationKey, string? identity, string? roleSid,
        string? attributes, string? address, string? proxyAddress)
    {
        InputChecks.Attributes(attributes);
        identity = InputChecks.Identity(identity);
        address = InputChecks.EmptyToNull(address);
        proxyAddress = InputChecks.EmptyToNull(proxyAddress);
        CheckBinding(identity, address, proxyAddress);
        var answer = hooks?.Ask(serviceSid, "onParticipantAdd", () =>
        {
            var conversation = store.Read(s => s.Conversations.Find(conversationKey) is { } found && found.ServiceSid == serviceSid
                ? found
                : actor.Conversation(s, serviceSid, conversationKey));
            return [("ConversationSid", conversation.Sid), ("Identity", identity), ("RoleSid", InputChecks.EmptyToNull(roleSid)),
                ("Attributes", InputChecks.Attributes(attributes)), ("MessagingBinding.Address", address), ("MessagingBinding.ProxyAddress", proxyAddress)];
        }) ?? PreEventAnswer.Unchanged;
        var attrs = InputChecks.Attributes(answer.Or("Attributes", attributes));
        var now = TwilioFormat.Now(time);
        var participant = store.Write(s =>
        {
            var service = s.Services.Get(serviceSid);
            var joining = actor.Identity is not null && identity == actor.Identity
                && s.Conversations.Find(conversationKey) is { } wanted && s.Participants.OfIn(wanted.Sid, identity) is null;
            ConversationRecord conversation;
            if (joining)
            {
                conversation = actor.Joinable(s, serviceSid, conversationKey);
            }
            else
            {
                conversation = actor.Conversation(s, serviceSid, conversationKey);
                actor.Require(s, conversation, _ => TwilioPermissions.AddParticipant);
            }

            // The creator joining the conversation they created gets the service's conversation-creator role
            // ("default_conversation_creator_role_sid: the conversation-level role assigned to a conversation creator when
            // they join a new conversation", Twilio's OpenAPI); anyone else its default conversation role.
            var role = joining && string.IsNullOrEmpty(roleSid) ? service.DefaultConversationCreatorRoleSid : s.Roles.ConversationRoleFor(service, roleSid);
            if (identity is not null)
            {
                if (s.Participants.OfIn(conversation.Sid, identity) is not null)
                {
                    throw TwilioErrors.Conflict(TwilioErrors.ParticipantExists, $"Participant already exists: {identity}");
                }

                // Twilio backs every chat participant with a User ("Every Conversation Participant who connects with a
                // Chat SDK ... is backed by a User", twilio.com/docs/conversations/api/user-resource; the participant's
                // identity is "a unique string identifier for the conversation participant as Conversation User",
                // Twilio's OpenAPI), so adding an unknown identity creates its user with the service's default role.
                if (s.Users.Find(serviceSid, identity) is null)
                {
                    s.Raise(new UserAdded(s.Users.AddNew(serviceSid, identity, null, "{}", service.DefaultServiceRoleSid, now)));
                }
            }
            else if (s.Participants.WithBinding(address!, proxyAddress!).Any(p => p.ServiceSid == serviceSid))
            {
                throw TwilioErrors.Conflict(TwilioErrors.BindingExists, $"A binding for this participant and proxy address already exists in a conversation: {address}");
            }

            CheckLimits(s, serviceSid, conversation.Sid, identity);
            var created = new ParticipantRecord(s.NextSeq(), TwilioFormat.NewSid("MB"), serviceSid, conversation.Sid, identity, attrs,
                role, address, proxyAddress, now, now, null, null);
            s.Participants.Add(created);
            s.Raise(new ParticipantAdded(created, conversation));
            return created;
        });
        Log.Created(logger, "participant", participant.Sid);
        return participant;
    }

    /// <summary>
    /// Changes a participant in one write (<paramref name="clearReadHorizon"/>: no message read, the SDK's
    /// setAllMessagesUnread). A chat user may only change their own participant: move its read horizon, set its
    /// notification level (<c>default</c> or <c>muted</c>, with <c>editNotificationLevel</c>) and replace its attributes
    /// (the SDK's participant.updateAttributes; Twilio's permission values name no permission for participant
    /// attributes, so no role grants another's); the account may change any participant's role, attributes, read
    /// horizon and notification level.
    /// </summary>
    public ParticipantRecord Update(Actor actor, string serviceSid, string conversationKey, string key, string? roleSid,
        string? attributes, int? lastReadMessageIndex, string? notificationLevel = null, bool clearReadHorizon = false)
    {
        InputChecks.OptionalAttributes(attributes);
        var answer = hooks?.Ask(serviceSid, "onParticipantUpdate", () => store.Read(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            var current = s.Participants.Get(conversation, key);
            return new (string, string?)[]
            {
                ("ConversationSid", conversation.Sid), ("ParticipantSid", current.Sid), ("Identity", current.Identity),
                ("RoleSid", roleSid ?? current.RoleSid), ("Attributes", attributes ?? current.Attributes),
                ("LastReadMessageIndex", (lastReadMessageIndex ?? current.LastReadMessageIndex)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        })) ?? PreEventAnswer.Unchanged;
        attributes = answer.Or("Attributes", attributes);
        var attrs = InputChecks.OptionalAttributes(attributes);
        if (notificationLevel is not null and not ("default" or "muted"))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Invalid notification level: {notificationLevel} (default or muted)");
        }

        var now = TwilioFormat.Now(time);
        return store.Write(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            var participant = s.Participants.Get(conversation, key);
            if (actor.Identity is not null && (participant.Identity != actor.Identity || roleSid is not null))
            {
                throw TwilioErrors.NotAllowed();
            }

            if (notificationLevel is not null)
            {
                actor.Require(s, conversation, _ => TwilioPermissions.EditNotificationLevel);
            }
            var updated = participant with
            {
                RoleSid = roleSid is null ? participant.RoleSid : s.Roles.ConversationRoleFor(s.Services.Get(serviceSid), roleSid),
                Attributes = attrs ?? participant.Attributes,
                LastReadMessageIndex = clearReadHorizon ? null : lastReadMessageIndex ?? participant.LastReadMessageIndex,
                LastReadTimestamp = clearReadHorizon || lastReadMessageIndex is not null ? now : participant.LastReadTimestamp,
                NotificationLevel = notificationLevel is null ? participant.NotificationLevel : notificationLevel == "muted" ? "muted" : null,
                DateUpdated = now,
            };
            s.Participants.Replace(updated);
            s.Raise(new ParticipantUpdated(updated));
            return updated;
        });
    }

    /// <summary>
    /// Removes a participant (by SID or identity) in one write; a chat user needs <c>leaveConversation</c> to leave and
    /// <c>removeParticipant</c> to remove someone else.
    /// </summary>
    public void Delete(Actor actor, string serviceSid, string conversationKey, string key)
    {
        hooks?.Ask(serviceSid, "onParticipantRemove", () => store.Read(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            var current = s.Participants.Get(conversation, key);
            return new (string, string?)[]
            {
                ("ConversationSid", conversation.Sid), ("ParticipantSid", current.Sid), ("Identity", current.Identity), ("RoleSid", current.RoleSid),
                ("Attributes", current.Attributes), ("MessagingBinding.Address", current.BindingAddress),
                ("MessagingBinding.ProxyAddress", current.ProxyAddress), ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        }));
        DeleteChecked(actor, serviceSid, conversationKey, key);
    }

    private void DeleteChecked(Actor actor, string serviceSid, string conversationKey, string key) => store.Write(s =>
    {
        var conversation = actor.Conversation(s, serviceSid, conversationKey);
        var participant = s.Participants.Get(conversation, key);
        actor.Require(s, conversation, me => participant.Sid == me.Sid ? TwilioPermissions.LeaveConversation : TwilioPermissions.RemoveParticipant);
        s.Participants.Remove(participant);
        s.Raise(new ParticipantRemoved(participant, conversation));
        return true;
    });

    private static void CheckBinding(string? identity, string? address, string? proxyAddress)
    {
        if (identity is not null && (address ?? proxyAddress) is not null)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.IdentityWithBinding, "A participant with an Identity cannot have a MessagingBinding");
        }

        if (identity is null && address is null)
        {
            // Twilio names the identity here: a participant without a binding is a chat participant.
            throw proxyAddress is null
                ? TwilioErrors.BadRequest(TwilioErrors.IdentityRequired, "Identity not provided")
                : TwilioErrors.BadRequest(TwilioErrors.AddressEmpty, "MessagingBinding.Address is empty");
        }

        if (address is not null && proxyAddress is null)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.ProxyAddressEmpty, "MessagingBinding.ProxyAddress is empty");
        }

        if (address is not null && address == proxyAddress)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.AddressEqualsProxyAddress, "MessagingBinding.Address must not equal MessagingBinding.ProxyAddress");
        }
    }

    private static void CheckLimits(EmulatorState s, string serviceSid, string conversationSid, string? identity)
    {
        var members = s.Participants.In(conversationSid);
        if (members.Count >= TwilioLimits.MaxParticipants)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.ParticipantLimitExceeded,
                $"Participants limit exceeded: a conversation has at most {TwilioLimits.MaxParticipants} participants");
        }

        if (identity is null && members.Count(p => p.Identity is null) >= TwilioLimits.MaxNonChatParticipants)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.NonChatParticipantLimitExceeded,
                $"Non-chat conversation participants limit exceeded: a conversation has at most {TwilioLimits.MaxNonChatParticipants} SMS or WhatsApp participants");
        }

        if (identity is not null && s.Participants.Of(serviceSid, identity).Count >= TwilioLimits.MaxConversationsPerIdentity)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.UserConversationLimitExceeded,
                $"User conversation limit exceeded: {identity} is in {TwilioLimits.MaxConversationsPerIdentity} conversations");
        }
    }
}
