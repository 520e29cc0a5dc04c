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

    private long _seq;

    public EmulatorState()
    {
        Services = new(this, ServiceKind);
        Roles = new(this, RoleKind);
        Users = new(this, UserKind);
        Conversations = new(this, ConversationKind);
        Participants = new(this, ParticipantKind);
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

    /// <summary>A number that orders records by creation.</summary>
    public long NextSeq() => ++_seq;

    /// <summary>Continues the creation order after <paramref name="seq"/> (used when state is loaded).</summary>
    public void RestoreSeq(long seq) => _seq = Math.Max(_seq, seq);

    /// <summary>A new, empty message list whose changes are tracked.</summary>
    public MessageList NewMessageList() => new(this);

    internal void Record(string kind, string sid, object? value) => Changes?.Add(new StateChange(kind, sid, value));
}

/// <summary>A table of records by SID that reports every change to its <see cref="EmulatorState"/>.</summary>
internal sealed class Table<TValue>(EmulatorState state, string kind)
    where TValue : class
{
    private readonly Dictionary<string, TValue> _items = new(StringComparer.Ordinal);

    public Dictionary<string, TValue>.ValueCollection Values => _items.Values;

    public Dictionary<string, TValue>.KeyCollection Keys => _items.Keys;

    public int Count => _items.Count;

    public TValue this[string sid]
    {
        get => _items[sid];
        set
        {
            _items[sid] = value;
            state.Record(kind, sid, value);
        }
    }

    public bool TryGetValue(string sid, [MaybeNullWhen(false)] out TValue value) => _items.TryGetValue(sid, out value);

    public bool ContainsKey(string sid) => _items.ContainsKey(sid);

    public TValue? GetValueOrDefault(string sid) => _items.GetValueOrDefault(sid);

    public void Add(string sid, TValue value)
    {
        _items.Add(sid, value);
        state.Record(kind, sid, value);
    }

    public bool Remove(string sid)
    {
        if (!_items.Remove(sid))
        {
            return false;
        }

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

    public int Count => _items.Count;

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
