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

/// <summary>The tables of the emulator. Only touched inside <see cref="IEmulatorStore"/> calls.</summary>
internal sealed class EmulatorState
{
    private long _seq;

    public Dictionary<string, ServiceRecord> Services { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RoleRecord> Roles { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, UserRecord> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ConversationRecord> Conversations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ParticipantRecord> Participants { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages by conversation SID, ordered by index.</summary>
    public Dictionary<string, SortedList<int, MessageRecord>> Messages { get; } = new(StringComparer.Ordinal);

    /// <summary>A number that orders records by creation.</summary>
    public long NextSeq() => ++_seq;
}
