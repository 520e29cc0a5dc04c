using System.Globalization;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>Messages by conversation, ordered by index, each conversation's in a <see cref="MessageLog"/>.</summary>
internal sealed class MessageTable(EmulatorState state)
{
    private readonly Dictionary<string, MessageLog> _byConversation = new(StringComparer.Ordinal);

    /// <summary>A conversation's messages, oldest first; each is made as it is read.</summary>
    public MessageLog In(string conversationSid) => Log(conversationSid);

    /// <summary>A conversation's newest message, or null.</summary>
    public MessageRecord? Last(string conversationSid) => Log(conversationSid).Last;

    /// <summary>How many of a conversation's messages have an index above <paramref name="index"/>.</summary>
    public int CountAfter(string conversationSid, int index) => Log(conversationSid).CountAfter(index);

    /// <summary>The message with this index or SID in the conversation, or 404.</summary>
    public MessageRecord Get(ConversationRecord conversation, string key)
    {
        // By index (what SDK clients send) is a lookup; by SID a scan. A SID (IM...) never parses as a number.
        var messages = Log(conversation.Sid);
        return (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && messages.TryGet(index, out var byIndex)
                ? byIndex
                : messages.FindBySid(key))
            ?? throw TwilioErrors.NotFound($"/Conversations/{conversation.Sid}/Messages/{key}");
    }

    public void Add(MessageRecord message)
    {
        if (Log(message.ConversationSid).Contains(message.Index))
        {
            throw new InvalidDataException($"Two messages of conversation {message.ConversationSid} have the index {message.Index}");
        }

        Put(null, message);
        state.Record(EmulatorState.MessageKind, message.Sid, null, message, () => Put(message, null));
    }

    public void Replace(MessageRecord message)
    {
        var old = Get(message.ConversationSid, message.Index);
        Put(old, message);
        state.Record(EmulatorState.MessageKind, message.Sid, old, message, () => Put(message, old));
    }

    /// <summary>Removes a message, and with it the media files it holds.</summary>
    public void Remove(MessageRecord message)
    {
        var old = Get(message.ConversationSid, message.Index);
        Put(old, null);
        state.Record(EmulatorState.MessageKind, message.Sid, old, null, () => Put(null, old));
        state.Media.DeleteOf(old);
    }

    /// <summary>Removes every message of a conversation (which is being deleted).</summary>
    public void RemoveAllIn(string conversationSid)
    {
        foreach (var message in In(conversationSid).ToList())
        {
            Remove(message);
        }
    }

    private MessageLog Log(string conversationSid) => _byConversation.GetValueOrDefault(conversationSid) ?? MessageLog.Empty;

    private MessageRecord Get(string conversationSid, int index) =>
        _byConversation[conversationSid].TryGet(index, out var message) ? message : throw new KeyNotFoundException($"No message {index} in {conversationSid}");

    private void Put(MessageRecord? old, MessageRecord? current)
    {
        if (old is not null && current is not null)
        {
            _byConversation[old.ConversationSid].Replace(current);
            return;
        }

        if (old is not null)
        {
            var log = _byConversation[old.ConversationSid];
            log.Remove(old.Index);
            if (log.Count == 0)
            {
                _byConversation.Remove(old.ConversationSid);
            }
        }

        if (current is not null)
        {
            if (!_byConversation.TryGetValue(current.ConversationSid, out var log))
            {
                _byConversation[current.ConversationSid] = log = new MessageLog(current.ServiceSid, current.ConversationSid);
            }

            log.Add(current);
        }
    }
}

/// <summary>The texts sent to SMS participants, oldest first; only ever appended to.</summary>
internal sealed class Outbox(EmulatorState state)
{
    private readonly List<SmsRecord> _sent = [];

    public IReadOnlyList<SmsRecord> Sent => _sent;

    public void Add(SmsRecord sms)
    {
        _sent.Add(sms);
        state.Record(EmulatorState.SmsKind, sms.Sid, null, sms, () => _sent.RemoveAt(_sent.Count - 1));
    }

    /// <summary>Forgets every text sent (a reset), newest first so that an undo puts each back in its place.</summary>
    public void Clear()
    {
        for (var i = _sent.Count - 1; i >= 0; i--)
        {
            var sms = _sent[i];
            _sent.RemoveAt(i);
            state.Record(EmulatorState.SmsKind, sms.Sid, sms, null, () => _sent.Add(sms));
        }
    }
}
