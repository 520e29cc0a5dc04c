using System.Diagnostics.CodeAnalysis;
using Twilio.ChatRooms.Emulator.Domain;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// Where the emulator keeps its state. Every read or write runs as one atomic unit over <see cref="EmulatorState"/>,
/// so checks and writes cannot interleave with another request's.
/// </summary>
internal interface IEmulatorStore
{
    T Read<T>(Func<EmulatorState, T> read);

    T Write<T>(Func<EmulatorState, T> write);
}

/// <summary>One change to a record: <see cref="Value"/> is the new record, or null when it was removed.</summary>
internal readonly record struct StateChange(string Kind, string Sid, object? Value);

/// <summary>The tables of the emulator. Only touched inside <see cref="IEmulatorStore"/> calls.</summary>
internal sealed class EmulatorState
{
    public const string ServiceKind = "service";
    public const string RoleKind = "role";
    public const string UserKind = "user";
    public const string ConversationKind = "conversation";
    public const string ParticipantKind = "participant";
    public const string MessageKind = "message";
    public const string SmsKind = "sms";

    private static readonly SortedList<long, ParticipantRecord> NoParticipants = [];

    // Indexes kept in step with the tables, so lookups and checks cost the same however many records there are.
    private readonly Dictionary<(string ServiceSid, string Identity), UserRecord> _usersByIdentity = [];
    private readonly Dictionary<(string ServiceSid, string UniqueName), ConversationRecord> _conversationsByUniqueName = [];
    private readonly Dictionary<string, SortedList<long, ParticipantRecord>> _participantsByConversation = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ServiceSid, string Identity), SortedList<long, ParticipantRecord>> _participantsByIdentity = [];
    private readonly Dictionary<(string Address, string ProxyAddress), SortedList<long, ParticipantRecord>> _participantsByBinding = [];
    private readonly List<SmsRecord> _outbox = [];
    private long _seq;

    public EmulatorState()
    {
        Services = new(this, ServiceKind);
        Roles = new(this, RoleKind);
        Users = new(this, UserKind, IndexUser);
        Conversations = new(this, ConversationKind, IndexConversation);
        Participants = new(this, ParticipantKind, IndexParticipant);
    }

    /// <summary>When not null, every change to a table is appended here (a durable store drains it after each write).</summary>
    public List<StateChange>? Changes { get; set; }

    public Table<ServiceRecord> Services { get; }

    public Table<RoleRecord> Roles { get; }

    public Table<UserRecord> Users { get; }

    public Table<ConversationRecord> Conversations { get; }

    public Table<ParticipantRecord> Participants { get; }

    /// <summary>Messages by conversation SID, ordered by index.</summary>
    public Dictionary<string, MessageList> Messages { get; } = new(StringComparer.Ordinal);

    /// <summary>The texts sent to SMS participants, oldest first; only ever appended to.</summary>
    public IReadOnlyList<SmsRecord> Outbox => _outbox;

    /// <summary>Appends a text to the <see cref="Outbox"/>.</summary>
    public void AddToOutbox(SmsRecord sms)
    {
        _outbox.Add(sms);
        Record(SmsKind, sms.Sid, sms);
    }

    /// <summary>A number that orders records by creation.</summary>
    public long NextSeq() => ++_seq;

    /// <summary>Continues the creation order after <paramref name="seq"/> (used when state is loaded).</summary>
    public void RestoreSeq(long seq) => _seq = Math.Max(_seq, seq);

    /// <summary>A new, empty message list whose changes are tracked.</summary>
    public MessageList NewMessageList() => new(this);

    /// <summary>The user with this identity in the service, if any.</summary>
    public UserRecord? UserByIdentity(string serviceSid, string identity) => _usersByIdentity.GetValueOrDefault((serviceSid, identity));

    /// <summary>The conversation with this unique name in the service, if any.</summary>
    public ConversationRecord? ConversationByUniqueName(string serviceSid, string uniqueName) =>
        _conversationsByUniqueName.GetValueOrDefault((serviceSid, uniqueName));

    /// <summary>A conversation's participants in creation order.</summary>
    public IList<ParticipantRecord> ParticipantsIn(string conversationSid) =>
        (_participantsByConversation.GetValueOrDefault(conversationSid) ?? NoParticipants).Values;

    /// <summary>An identity's participants in the service, in creation order.</summary>
    public IList<ParticipantRecord> ParticipantsOf(string serviceSid, string identity) =>
        (_participantsByIdentity.GetValueOrDefault((serviceSid, identity)) ?? NoParticipants).Values;

    /// <summary>The participants with this messaging binding (address and proxy address), in every service, in creation order.</summary>
    public IList<ParticipantRecord> ParticipantsWithBinding(string address, string proxyAddress) =>
        (_participantsByBinding.GetValueOrDefault((address, proxyAddress)) ?? NoParticipants).Values;

    /// <summary>The participant with this identity in the conversation, if any.</summary>
    public ParticipantRecord? ParticipantOf(string conversationSid, string identity)
    {
        var conversation = ParticipantsIn(conversationSid);
        if (conversation.Count == 0)
        {
            return null;
        }

        // Both lists are bounded by Twilio's limits (1,000 a conversation, 1,000 an identity): scan the shorter.
        var serviceSid = conversation[0].ServiceSid;
        var ofIdentity = ParticipantsOf(serviceSid, identity);
        var shorter = ofIdentity.Count < conversation.Count ? ofIdentity : conversation;
        return shorter.FirstOrDefault(p => p.ConversationSid == conversationSid && p.Identity == identity);
    }

    internal void Record(string kind, string sid, object? value) => Changes?.Add(new StateChange(kind, sid, value));

    /// <summary>Moves a participant between the lists of <paramref name="index"/>; records it only when <paramref name="indexed"/>.</summary>
    private static void Reindex<TKey>(Dictionary<TKey, SortedList<long, ParticipantRecord>> index, ParticipantRecord? old,
        ParticipantRecord? current, Func<ParticipantRecord, bool> indexed, Func<ParticipantRecord, TKey> key)
        where TKey : notnull
    {
        if (old is not null && indexed(old) && index.TryGetValue(key(old), out var oldList))
        {
            oldList.Remove(old.Seq);
            if (oldList.Count == 0)
            {
                index.Remove(key(old));
            }
        }

        if (current is not null && indexed(current))
        {
            if (!index.TryGetValue(key(current), out var list))
            {
                index[key(current)] = list = [];
            }

            list[current.Seq] = current;
        }
    }

    private void IndexParticipant(ParticipantRecord? old, ParticipantRecord? current)
    {
        Reindex(_participantsByConversation, old, current, _ => true, p => p.ConversationSid);
        Reindex(_participantsByIdentity, old, current, p => p.Identity is not null, p => (p.ServiceSid, p.Identity!));
        Reindex(_participantsByBinding, old, current, p => p is { BindingAddress: not null, ProxyAddress: not null },
            p => (p.BindingAddress!, p.ProxyAddress!));
    }

    private void IndexUser(UserRecord? old, UserRecord? current)
    {
        if (old is not null)
        {
            _usersByIdentity.Remove((old.ServiceSid, old.Identity));
        }

        if (current is not null)
        {
            _usersByIdentity[(current.ServiceSid, current.Identity)] = current;
        }
    }

    private void IndexConversation(ConversationRecord? old, ConversationRecord? current)
    {
        if (old?.UniqueName is { } oldName)
        {
            _conversationsByUniqueName.Remove((old.ServiceSid, oldName));
        }

        if (current?.UniqueName is { } name)
        {
            _conversationsByUniqueName[(current.ServiceSid, name)] = current;
        }
    }
}

/// <summary>
/// A table of records by SID that reports every change to its <see cref="EmulatorState"/>, and to
/// <paramref name="changed"/> (old record, new record; null when absent) so indexes follow.
/// </summary>
internal sealed class Table<TValue>(EmulatorState state, string kind, Action<TValue?, TValue?>? changed = null)
    where TValue : class
{
    private readonly Dictionary<string, TValue> _items = new(StringComparer.Ordinal);

    public Dictionary<string, TValue>.ValueCollection Values => _items.Values;

    public TValue this[string sid]
    {
        get => _items[sid];
        set
        {
            _items.TryGetValue(sid, out var old);
            _items[sid] = value;
            changed?.Invoke(old, value);
            state.Record(kind, sid, value);
        }
    }

    public bool TryGetValue(string sid, [MaybeNullWhen(false)] out TValue value) => _items.TryGetValue(sid, out value);

    public TValue? GetValueOrDefault(string sid) => _items.GetValueOrDefault(sid);

    public void Add(string sid, TValue value)
    {
        _items.Add(sid, value);
        changed?.Invoke(null, value);
        state.Record(kind, sid, value);
    }

    public bool Remove(string sid)
    {
        if (!_items.Remove(sid, out var old))
        {
            return false;
        }

        changed?.Invoke(old, null);
        state.Record(kind, sid, null);
        return true;
    }
}

/// <summary>A conversation's messages by index, reporting every change to its <see cref="EmulatorState"/>.</summary>
internal sealed class MessageList(EmulatorState state)
{
    private readonly SortedList<int, MessageRecord> _items = [];

    public IList<MessageRecord> Values => _items.Values;

    public IList<int> Keys => _items.Keys;

    public MessageRecord this[int index]
    {
        get => _items[index];
        set
        {
            _items[index] = value;
            state.Record(EmulatorState.MessageKind, value.Sid, value);
        }
    }

    public bool TryGetValue(int index, [MaybeNullWhen(false)] out MessageRecord value) => _items.TryGetValue(index, out value);

    public void Add(int index, MessageRecord value)
    {
        _items.Add(index, value);
        state.Record(EmulatorState.MessageKind, value.Sid, value);
    }

    public bool Remove(int index)
    {
        if (!_items.TryGetValue(index, out var removed))
        {
            return false;
        }

        _items.Remove(index);
        state.Record(EmulatorState.MessageKind, removed.Sid, null);
        return true;
    }
}
