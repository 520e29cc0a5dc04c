using System.Globalization;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>Messages by conversation, ordered by index.</summary>
internal sealed class MessageTable(EmulatorState state)
{
    private static readonly SortedList<int, MessageRecord> None = [];

    private readonly Dictionary<string, SortedList<int, MessageRecord>> _byConversation = new(StringComparer.Ordinal);

    /// <summary>A conversation's messages, oldest first.</summary>
    public IList<MessageRecord> In(string conversationSid) => (_byConversation.GetValueOrDefault(conversationSid) ?? None).Values;

    /// <summary>How many of a conversation's messages have an index above <paramref name="index"/>.</summary>
    public int CountAfter(string conversationSid, int index) =>
        (_byConversation.GetValueOrDefault(conversationSid) ?? None).Keys.Count(i => i > index);

    /// <summary>The message with this index or SID in the conversation, or 404.</summary>
    public MessageRecord Get(ConversationRecord conversation, string key)
    {
        // By index (what SDK clients send) is a lookup; by SID a scan. A SID (IM...) never parses as a number.
        var messages = _byConversation.GetValueOrDefault(conversation.Sid) ?? None;
        return (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && messages.TryGetValue(index, out var byIndex)
                ? byIndex
                : messages.Values.FirstOrDefault(m => m.Sid == key))
            ?? throw TwilioErrors.NotFound($"/Conversations/{conversation.Sid}/Messages/{key}");
    }

    public void Add(MessageRecord message)
    {
        if (_byConversation.TryGetValue(message.ConversationSid, out var list) && list.ContainsKey(message.Index))
        {
            throw new InvalidDataException($"Two messages of conversation {message.ConversationSid} have the index {message.Index}");
        }

        Put(null, message);
        state.Record(EmulatorState.MessageKind, message.Sid, null, message, () => Put(message, null));
    }

    public void Replace(MessageRecord message)
    {
        var old = _byConversation[message.ConversationSid][message.Index];
        Put(old, message);
        state.Record(EmulatorState.MessageKind, message.Sid, old, message, () => Put(message, old));
    }

    public void Remove(MessageRecord message)
    {
        var old = _byConversation[message.ConversationSid][message.Index];
        Put(old, null);
        state.Record(EmulatorState.MessageKind, message.Sid, old, null, () => Put(null, old));
    }

    /// <summary>Removes every message of a conversation (which is being deleted).</summary>
    public void RemoveAllIn(string conversationSid)
    {
        foreach (var message in In(conversationSid).ToList())
        {
            Remove(message);
        }
    }

    private void Put(MessageRecord? old, MessageRecord? current)
    {
        if (old is not null)
        {
            var list = _byConversation[old.ConversationSid];
            list.Remove(old.Index);
            if (list.Count == 0)
            {
                _byConversation.Remove(old.ConversationSid);
            }
        }

        if (current is not null)
        {
            if (!_byConversation.TryGetValue(current.ConversationSid, out var list))
            {
                _byConversation[current.ConversationSid] = list = [];
            }

            list[current.Index] = current;
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
}
