using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Media;
using Twilio.ChatRooms.Emulator.Resources.Receipts;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;

namespace Twilio.ChatRooms.Emulator.Resources.Messages;

/// <summary>Messages: a conversation's indexes only grow and are never reused; every added message is texted to its SMS participants.</summary>
internal sealed class MessageRules(EmulatorStore store, TimeProvider time, ILogger<MessageRules> logger, PreEventWebhooks? hooks = null)
{
    /// <summary>
    /// A page of a conversation's messages, oldest first or (<paramref name="descending"/>) newest first: the store's
    /// lock is held for a binary search and the page's own records, never for the whole history, so paging a long
    /// conversation neither costs in proportion to it nor holds up writes elsewhere.
    /// </summary>
    public (MessageRecord[] Items, PageWindow Window) Page(string serviceSid, string conversationKey, PageQuery query, bool descending) =>
        store.Read(s =>
        {
            var log = s.Messages.In(s.Conversations.Get(serviceSid, conversationKey).Sid);
            var count = log.Count;
            int At(int position) => descending ? count - 1 - position : position;
            var window = Paging.Window(query, count, position => log.IndexAt(At(position)), descending);
            var items = new MessageRecord[window.End - window.Start];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = log[At(window.Start + i)];
            }

            return (items, window);
        });

    /// <summary>How many messages the conversation holds, without reading them.</summary>
    public int Count(string serviceSid, string conversationKey) => store.Read(s =>
        s.Messages.In(s.Conversations.Get(serviceSid, conversationKey).Sid).Count);

    public MessageRecord Fetch(string serviceSid, string conversationKey, string key) =>
        store.Read(s => s.Messages.Get(s.Conversations.Get(serviceSid, conversationKey), key));

    /// <summary>
    /// Adds a message, decided in one write: the actor's membership and <c>sendMessage</c> (a chat user, who is its
    /// author), Twilio's input rules, then the message and its events. The account (REST) writes as <paramref name="author"/>,
    /// or as <c>system</c> without one. A message holds the files <paramref name="mediaSids"/> names (a chat user's own
    /// uploads, with <c>sendMediaMessage</c>), and needs a body only without them.
    /// </summary>
    public MessageRecord Create(Actor actor, string serviceSid, string conversationKey, string? author, string? body, string? attributes,
        IReadOnlyList<string>? mediaSids = null)
    {
        var media = mediaSids ?? [];
        CheckBody(body, media);
        InputChecks.Attributes(attributes);

        // The pre-event webhook (Twilio's onMessageAdd) sees the proposed message here, outside the lock; it may refuse
        // or rewrite it, and the write below checks the actor again against the state it changes.
        var answer = hooks?.Ask(serviceSid, "onMessageAdd", () =>
        {
            var conversation = store.Read(s => actor.Conversation(s, serviceSid, conversationKey));
            return [("ConversationSid", conversation.Sid), ("Body", body), ("Author", actor.Identity ?? InputChecks.EmptyToNull(author) ?? "system"),
                ("Attributes", InputChecks.Attributes(attributes))];
        }) ?? PreEventAnswer.Unchanged;
        body = answer.Or("Body", body);
        CheckBody(body, media);
        var attrs = InputChecks.Attributes(answer.Or("Attributes", attributes));
        var rewrittenAuthor = answer.Or("Author", null);
        author = rewrittenAuthor ?? author;
        var now = TwilioFormat.Now(time);
        var message = store.Write(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            if (actor.Require(s, conversation, _ => media.Count > 0 ? TwilioPermissions.SendMediaMessage : TwilioPermissions.SendMessage) is { } me)
            {
                return Append(s, conversation, rewrittenAuthor ?? me.Identity!, body, attrs, me.Sid, now,
                    MediaRules.Claim(s, serviceSid, me.Identity, media));
            }

            // A named author is the participant of that identity, if any; without one the server wrote it ("system"),
            // which no participant owns, even one whose identity is "system".
            var named = InputChecks.EmptyToNull(author);
            return Append(s, conversation, named ?? "system", body, attrs, named is null ? null : s.Participants.OfIn(conversation.Sid, named)?.Sid, now,
                MediaRules.Claim(s, serviceSid, null, media));
        });
        Log.Created(logger, "message", message.Sid);
        return message;
    }

    /// <summary>A message needs a body unless it holds media, within Twilio's size.</summary>
    private static void CheckBody(string? body, IReadOnlyList<string> media)
    {
        if (string.IsNullOrEmpty(body) && media.Count == 0)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.BodyRequired, "Message body not provided");
        }

        InputChecks.Body(body);
    }

    /// <summary>
    /// Edits a message in one write: a chat user needs <c>editOwnMessage</c> for their own (by participant, never by
    /// author name) or <c>editAnyMessage</c> to change its body, <c>editOwnMessageAttributes</c> or
    /// <c>editAnyMessageAttributes</c> to change its attributes, and may not change the author. On both faces a body, when given, may not
    /// be empty.
    /// </summary>
    public MessageRecord Update(Actor actor, string serviceSid, string conversationKey, string key, string? author, string? body, string? attributes)
    {
        if (body is { Length: 0 })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.BodyRequired, "Message body not provided");
        }

        InputChecks.Body(body);
        InputChecks.OptionalAttributes(attributes);
        var answer = hooks?.Ask(serviceSid, "onMessageUpdate", () => store.Read(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            var current = s.Messages.Get(conversation, key);
            return new (string, string?)[]
            {
                ("ConversationSid", conversation.Sid), ("MessageSid", current.Sid), ("Index", current.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Author", current.Author), ("Body", body ?? current.Body), ("Attributes", InputChecks.OptionalAttributes(attributes) ?? current.Attributes),
                ("ParticipantSid", current.ParticipantSid), ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        })) ?? PreEventAnswer.Unchanged;
        body = answer.Or("Body", body);
        if (body is { Length: 0 })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.BodyRequired, "Message body not provided");
        }

        InputChecks.Body(body);
        var attrs = InputChecks.OptionalAttributes(answer.Or("Attributes", attributes));
        var now = TwilioFormat.Now(time);
        return store.Write(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            var message = s.Messages.Get(conversation, key);
            // A body edit needs editOwnMessage / editAnyMessage; an attributes change (a reaction) needs
            // editOwnMessageAttributes / editAnyMessageAttributes, Twilio's separate permissions; a change of both, both.
            if (body is not null || attributes is null)
            {
                actor.Require(s, conversation, me => TwilioPermissions.EditMessage(own: message.ParticipantSid == me.Sid));
            }

            if (attributes is not null)
            {
                actor.Require(s, conversation, me => TwilioPermissions.EditMessageAttributes(own: message.ParticipantSid == me.Sid));
            }

            if (actor.Identity is not null)
            {
                author = null; // a chat user never renames the author
            }

            var updated = message with
            {
                Author = InputChecks.EmptyToNull(author) ?? message.Author,
                Body = body ?? message.Body,
                Attributes = attrs ?? message.Attributes,
                LastUpdatedBy = actor.Identity ?? message.LastUpdatedBy,
                // Dates are whole seconds, like Twilio's: an edit within the send's second still reads as later,
                // because clients show "edited" from dateUpdated > dateCreated.
                DateUpdated = now > message.DateCreated ? now : message.DateCreated.AddSeconds(1),
            };
            s.Messages.Replace(updated);
            s.Raise(new MessageUpdated(updated));
            return updated;
        });
    }

    /// <summary>Deletes a message in one write: a chat user needs <c>deleteOwnMessage</c> for their own or <c>deleteAnyMessage</c>.</summary>
    public void Delete(Actor actor, string serviceSid, string conversationKey, string key)
    {
        hooks?.Ask(serviceSid, "onMessageRemove", () => store.Read(s =>
        {
            var conversation = actor.Conversation(s, serviceSid, conversationKey);
            var current = s.Messages.Get(conversation, key);
            return new (string, string?)[]
            {
                ("ConversationSid", conversation.Sid), ("MessageSid", current.Sid), ("Index", current.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Author", current.Author), ("Body", current.Body), ("Attributes", current.Attributes), ("ParticipantSid", current.ParticipantSid),
                ("DateCreated", WebhookPayloads.Date(current.DateCreated)),
            };
        }));
        DeleteChecked(actor, serviceSid, conversationKey, key);
    }

    private void DeleteChecked(Actor actor, string serviceSid, string conversationKey, string key) => store.Write(s =>
    {
        var conversation = actor.Conversation(s, serviceSid, conversationKey);
        var message = s.Messages.Get(conversation, key);
        actor.Require(s, conversation, me => TwilioPermissions.DeleteMessage(own: message.ParticipantSid == me.Sid));
        s.Messages.Remove(message);
        s.Raise(new MessageRemoved(message));
        return true;
    });

    /// <summary>
    /// Adds a message with the conversation's next index, and records it in the outbox once for each SMS participant of
    /// the conversation other than its author (an SMS participant's own text is not echoed back to it).
    /// </summary>
    public static MessageRecord Append(EmulatorState s, ConversationRecord conversation, string author, string? body,
        string attributes, string? participantSid, DateTimeOffset now, IReadOnlyList<MediaRecord>? media = null)
    {
        var sid = TwilioFormat.NewSid("IM");
        var texts = s.Participants.In(conversation.Sid)
            .Where(recipient => recipient is { BindingAddress: not null, ProxyAddress: not null } && recipient.Sid != participantSid)
            .Select(recipient => new SmsRecord(TwilioFormat.NewSid("SM"), recipient.BindingAddress!, recipient.ProxyAddress!, body, conversation.Sid, sid,
                conversation.NextMessageIndex, author, now))
            .ToList();
        // The message carries its delivery summary, decided from the texts it is sent as, so that every face shows it.
        var created = new MessageRecord(sid, conversation.ServiceSid, conversation.Sid, conversation.NextMessageIndex,
            author, media is { Count: > 0 } ? InputChecks.EmptyToNull(body) : body, attributes, participantSid, now, now,
            media is { Count: > 0 } ? [.. media.Select(MediaRules.Shown)] : null, Delivery: ReceiptRules.Summary(texts));
        s.Conversations.Replace(conversation with { NextMessageIndex = conversation.NextMessageIndex + 1 });
        s.Messages.Add(created);
        MediaRules.Attach(s, media ?? [], created);
        foreach (var sms in texts)
        {
            s.Outbox.Add(sms);
        }

        s.Raise(new MessageAdded(created));
        return created;
    }
}
