using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// The participants of every conversation, indexed by conversation, by identity and by messaging binding, so adding,
/// listing and looking up cost the same however many participants there are.
/// </summary>
internal sealed class ParticipantTable(EmulatorState state) : Table<ParticipantRecord>(state, EmulatorState.ParticipantKind)
{
    private static readonly SortedList<long, ParticipantRecord> None = [];

    private readonly Dictionary<string, SortedList<long, ParticipantRecord>> _byConversation = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ServiceSid, string Identity), SortedList<long, ParticipantRecord>> _byIdentity = [];
    private readonly Dictionary<(string Address, string ProxyAddress), SortedList<long, ParticipantRecord>> _byBinding = [];

    /// <summary>A conversation's participants in creation order.</summary>
    public IList<ParticipantRecord> In(string conversationSid) => (_byConversation.GetValueOrDefault(conversationSid) ?? None).Values;

    /// <summary>An identity's participants in the service, in creation order.</summary>
    public IList<ParticipantRecord> Of(string serviceSid, string identity) => (_byIdentity.GetValueOrDefault((serviceSid, identity)) ?? None).Values;

    /// <summary>The participants with this messaging binding (address and proxy address), in every service, in creation order.</summary>
    public IList<ParticipantRecord> WithBinding(string address, string proxyAddress) =>
        (_byBinding.GetValueOrDefault((address, proxyAddress)) ?? None).Values;

    /// <summary>The participant with this identity in the conversation, if any.</summary>
    public ParticipantRecord? OfIn(string conversationSid, string identity)
    {
        var conversation = In(conversationSid);
        if (conversation.Count == 0)
        {
            return null;
        }

        // Both lists are bounded by Twilio's limits (1,000 a conversation, 1,000 an identity): scan the shorter.
        var ofIdentity = Of(conversation[0].ServiceSid, identity);
        var shorter = ofIdentity.Count < conversation.Count ? ofIdentity : conversation;
        return shorter.FirstOrDefault(p => p.ConversationSid == conversationSid && p.Identity == identity);
    }

    /// <summary>The participant of the conversation with this SID or identity, or 404.</summary>
    public ParticipantRecord Get(ConversationRecord conversation, string key) =>
        Find(key) is { } bySid && bySid.ConversationSid == conversation.Sid
            ? bySid
            : OfIn(conversation.Sid, key) ?? throw TwilioErrors.NotFound($"/Conversations/{conversation.Sid}/Participants/{key}");

    protected override void Indexed(ParticipantRecord? old, ParticipantRecord? current)
    {
        Reindex(_byConversation, old, current, _ => true, p => p.ConversationSid);
        Reindex(_byIdentity, old, current, p => p.Identity is not null, p => (p.ServiceSid, p.Identity!));
        Reindex(_byBinding, old, current, p => p is { BindingAddress: not null, ProxyAddress: not null }, p => (p.BindingAddress!, p.ProxyAddress!));
    }

    /// <summary>Moves a participant between the lists of <paramref name="index"/>; lists it only when <paramref name="indexed"/>.</summary>
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
}
