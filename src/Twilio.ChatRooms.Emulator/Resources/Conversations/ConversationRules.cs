using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Resources.Conversations;

/// <summary>Conversations: unique names free within a service; deleting one removes its participants and messages.</summary>
internal sealed class ConversationRules(EmulatorStore store, TimeProvider time, ILogger<ConversationRules> logger, PreEventWebhooks? hooks = null)
{
    public IReadOnlyList<ConversationRecord> List(string serviceSid) => store.Read(s =>
    {
        s.Services.Get(serviceSid);   // 404 for an unknown service
        return s.Conversations.Values.Where(c => c.ServiceSid == serviceSid).OrderBy(c => c.Seq).ToList();
    });

    public ConversationRecord Fetch(string serviceSid, string key) => store.Read(s => s.Conversations.Get(serviceSid, key));

    /// <summary>
    /// Creates a conversation in one write; a chat user needs their service role's <c>createConversation</c> and is
    /// recorded as its creator (over REST it is Twilio's "system").
    /// </summary>
    public ConversationRecord Create(Actor actor, string serviceSid, string? friendlyName, string? uniqueName, string? attributes, string? state)
    {
        InputChecks.FriendlyName(friendlyName);
        InputChecks.UniqueName(uniqueName);
        InputChecks.Attributes(attributes, TwilioLimits.MaxConversationAttributes);
        var answer = hooks?.Ask(serviceSid, "onConversationAdd", () =>
            [("FriendlyName", friendlyName), ("UniqueName", InputChecks.EmptyToNull(uniqueName)),
                ("Attributes", InputChecks.Attributes(attributes, TwilioLimits.MaxConversationAttributes)), ("State", state ?? "active")]) ?? PreEventAnswer.Unchanged;
        friendlyName = answer.Or("FriendlyName", friendlyName);
        uniqueName = answer.Or("UniqueName", uniqueName);
        InputChecks.FriendlyName(friendlyName);
        InputChecks.UniqueName(uniqueName);
        var attrs = InputChecks.Attributes(answer.Or("Attributes", attributes), TwilioLimits.MaxConversationAttributes);
        var checkedState = InputChecks.State(state) ?? "active";
        if (checkedState == "closed")
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InitialStateClosed, "A new conversation cannot be closed");
        }

        var now = TwilioFormat.Now(time);
        var conversation = store.Write(s =>
        {
            s.Services.Get(serviceSid);
            actor.RequireService(s, serviceSid, TwilioPermissions.CreateConversation);
            s.Conversations.EnsureUniqueNameFree(serviceSid, uniqueName, null);
            var created = new ConversationRecord(s.NextSeq(), TwilioFormat.NewSid("CH"), serviceSid, friendlyName,
                InputChecks.EmptyToNull(uniqueName), attrs, checkedState, now, now, 0, actor.Identity);
            s.Conversations.Add(created);
            s.Raise(new ConversationAdded(created));
            return created;
        });
        Log.Created(logger, "conversation", conversation.Sid);
        return conversation;
    }

    /// <summary>
    /// Changes a conversation in one write; a chat user must take part in it, with <c>editConversationName</c> to change
    /// a name and <c>editConversationAttributes</c> to change the attributes.
    /// </summary>
    public ConversationRecord Update(Actor actor, string serviceSid, string key, string? friendlyName, string? uniqueName, string? attributes, string? state)
    {
        InputChecks.FriendlyName(friendlyName);
        InputChecks.UniqueName(uniqueName);
        InputChecks.OptionalAttributes(attributes, TwilioLimits.MaxConversationAttributes);
        var answer = hooks?.Ask(serviceSid, "onConversationUpdate", () => store.Read(s =>
        {
            var current = actor.Conversation(s, serviceSid, key);
            return new (string, string?)[]
            {
                ("ConversationSid", current.Sid), ("FriendlyName", friendlyName ?? current.FriendlyName),
                ("UniqueName", uniqueName is null ? current.UniqueName : InputChecks.EmptyToNull(uniqueName)),
                ("Attributes", attributes ?? current.Attributes), ("State", state ?? current.State), ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        })) ?? PreEventAnswer.Unchanged;
        friendlyName = answer.Or("FriendlyName", friendlyName);
        uniqueName = answer.Or("UniqueName", uniqueName);
        attributes = answer.Or("Attributes", attributes);
        InputChecks.FriendlyName(friendlyName);
        InputChecks.UniqueName(uniqueName);
        var attrs = InputChecks.OptionalAttributes(attributes, TwilioLimits.MaxConversationAttributes);
        var checkedState = InputChecks.State(state);
        var now = TwilioFormat.Now(time);
        return store.Write(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, key);
            if (friendlyName is not null || uniqueName is not null)
            {
                actor.Require(s, conversation, _ => TwilioPermissions.EditConversationName);
            }

            if (attributes is not null)
            {
                actor.Require(s, conversation, _ => TwilioPermissions.EditConversationAttributes);
            }

            if (uniqueName is not null)
            {
                s.Conversations.EnsureUniqueNameFree(serviceSid, uniqueName, conversation.Sid);
            }

            var updated = conversation with
            {
                FriendlyName = friendlyName ?? conversation.FriendlyName,
                UniqueName = uniqueName is null ? conversation.UniqueName : InputChecks.EmptyToNull(uniqueName),
                Attributes = attrs ?? conversation.Attributes,
                State = checkedState ?? conversation.State,
                DateUpdated = now,
            };
            s.Conversations.Replace(updated);
            s.Raise(new ConversationUpdated(updated));
            if (updated.State != conversation.State)
            {
                s.Raise(new ConversationStateUpdated(updated, conversation.State));
            }

            return updated;
        });
    }

    /// <summary>Deletes a conversation with its participants and messages; a chat user must take part in it and hold <c>deleteConversation</c>.</summary>
    public void Delete(Actor actor, string serviceSid, string key)
    {
        hooks?.Ask(serviceSid, "onConversationRemove", () => store.Read(s =>
        {
            var current = actor.Conversation(s, serviceSid, key);
            return new (string, string?)[]
            {
                ("ConversationSid", current.Sid), ("FriendlyName", current.FriendlyName), ("UniqueName", current.UniqueName),
                ("Attributes", current.Attributes), ("State", current.State), ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        }));
        DeleteChecked(actor, serviceSid, key);
    }

    private void DeleteChecked(Actor actor, string serviceSid, string key) => store.Write(s =>
    {
        var conversation = actor.Conversation(s, serviceSid, key);
        actor.RequireService(s, serviceSid, TwilioPermissions.DeleteConversation);
        var participants = s.Participants.In(conversation.Sid).ToList();
        foreach (var participant in participants)
        {
            s.Participants.Remove(participant);
        }

        s.Messages.RemoveAllIn(conversation.Sid);
        s.Webhooks.RemoveAllIn(conversation.Sid);
        s.Conversations.Remove(conversation);
        s.Raise(new ConversationRemoved(conversation, participants));
        return true;
    });
}
