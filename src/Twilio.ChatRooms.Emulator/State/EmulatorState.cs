namespace Twilio.ChatRooms.Emulator.State;

/// <summary>One change to a record: the record before and after it (null when absent).</summary>
internal readonly record struct StateChange(string Kind, string Sid, IRecord? Old, IRecord? New);

/// <summary>
/// The emulator's state, one table per Twilio resource, each with its indexes. Only touched inside
/// <see cref="EmulatorStore"/> calls; inside a write every change is recorded with how to undo it, so a write that
/// fails (a Twilio error, or a store that cannot make it durable) leaves nothing behind.
/// </summary>
internal sealed class EmulatorState
{
    public const string ServiceKind = "service";
    public const string RoleKind = "role";
    public const string UserKind = "user";
    public const string ConversationKind = "conversation";
    public const string ParticipantKind = "participant";
    public const string MessageKind = "message";
    public const string SmsKind = "sms";
    public const string MediaKind = "media";
    public const string WebhookConfigKind = "webhook-config";
    public const string WebhookKind = "webhook";
    public const string WebhookDeliveryKind = "webhook-delivery";

    private long _seq;
    private UnitOfWork? _work;

    public EmulatorState()
    {
        Services = new(this);
        Roles = new(this);
        Users = new(this);
        Conversations = new(this);
        Participants = new(this);
        Messages = new(this);
        Outbox = new(this);
        Media = new(this);
        WebhookConfigs = new(this);
        Webhooks = new(this);
        WebhookDeliveries = new(this);
    }

    public ServiceTable Services { get; }

    public RoleTable Roles { get; }

    public UserTable Users { get; }

    public ConversationTable Conversations { get; }

    public ParticipantTable Participants { get; }

    public MessageTable Messages { get; }

    /// <summary>The texts sent to SMS participants, oldest first; only ever appended to.</summary>
    public Outbox Outbox { get; }

    /// <summary>The media service's files (their records; the bytes are kept apart).</summary>
    public MediaTable Media { get; }

    /// <summary>The account's and the services' webhook configurations.</summary>
    public WebhookConfigTable WebhookConfigs { get; }

    /// <summary>The conversation-scoped webhooks.</summary>
    public ConversationWebhookTable Webhooks { get; }

    /// <summary>The post-event webhooks caused and not yet delivered.</summary>
    public WebhookDeliveryTable WebhookDeliveries { get; }

    /// <summary>A number that orders records by creation.</summary>
    public long NextSeq() => ++_seq;

    /// <summary>Reports what this write did; published once the write is durable.</summary>
    public void Raise(EmulatorEvent change) =>
        (_work ?? throw new InvalidOperationException("Events are raised inside a write")).Events.Add(change);

    /// <summary>Who caused the write in progress (see <see cref="WriteOrigin"/>); null for the emulator's own tools.</summary>
    public WriteOrigin? Origin => _work?.Origin;

    /// <summary>
    /// Adds a loaded record, checked against what is loaded already: unique keys, and parents loaded before children
    /// (services, roles, users, conversations, participants, messages, texts, media). Throws <see cref="InvalidDataException"/>.
    /// </summary>
    public void Restore(IRecord record)
    {
        switch (record)
        {
            case ServiceRecord service:
                Services.Add(service);
                break;
            case RoleRecord role:
                Parent(Services.Find(role.ServiceSid), record, role.ServiceSid);
                Roles.Add(role);
                break;
            case UserRecord user:
                Parent(Services.Find(user.ServiceSid), record, user.ServiceSid);
                Users.Add(user);
                break;
            case ConversationRecord conversation:
                Parent(Services.Find(conversation.ServiceSid), record, conversation.ServiceSid);
                Conversations.Add(conversation);
                break;
            case ParticipantRecord participant:
                Parent(Conversations.Find(participant.ConversationSid), record, participant.ConversationSid);
                Participants.Add(participant);
                break;
            case MessageRecord message:
                var parent = Parent(Conversations.Find(message.ConversationSid), record, message.ConversationSid);
                if (message.Index < 0 || message.Index >= parent.NextMessageIndex)
                {
                    throw new InvalidDataException($"Message {message.Sid} has index {message.Index}, but its conversation's next index is {parent.NextMessageIndex}");
                }

                Messages.Add(message);
                break;
            case SmsRecord sms:
                Outbox.Add(sms);
                break;
            case MediaRecord media:
                Parent(Services.Find(media.ServiceSid), record, media.ServiceSid);
                Media.Add(media);
                break;
            case WebhookConfigRecord config:
                WebhookConfigs.Add(config);
                break;
            case ConversationWebhookRecord webhook:
                Parent(Conversations.Find(webhook.ConversationSid), record, webhook.ConversationSid);
                Webhooks.Add(webhook);
                break;
            case WebhookDeliveryRecord delivery:
                WebhookDeliveries.Add(delivery);
                break;
            default:
                throw new InvalidDataException($"A {record.GetType().Name} is not a record of the emulator");
        }

        AdvanceSeq(SeqOf(record));
    }

    /// <summary>
    /// Every record, parents before children (the order <see cref="Restore"/> takes them in), the texts sent last: a
    /// consistent copy of the state when read inside one <see cref="EmulatorStore.Read{T}"/>. The post-event webhooks
    /// still to deliver are left out: they belong to the moment, not to the state.
    /// </summary>
    public List<IRecord> Records()
    {
        List<IRecord> records = [.. Services.Values, .. Roles.Values, .. Users.Values, .. Conversations.Values, .. Participants.Values];
        foreach (var conversation in Conversations.Values)
        {
            records.AddRange(Messages.In(conversation.Sid));
        }

        records.AddRange(Media.Values);
        records.AddRange(WebhookConfigs.Values);
        records.AddRange(Webhooks.Values);
        records.AddRange(Outbox.Sent);
        return records;
    }

    /// <summary>Makes the next <see cref="NextSeq"/> come after <paramref name="seq"/> (a record put back from a copy).</summary>
    public void AdvanceSeq(long seq) => _seq = Math.Max(_seq, seq);

    /// <summary>The creation order of a record that has one, else 0.</summary>
    public static long SeqOf(IRecord record) => record switch
    {
        RoleRecord r => r.Seq,
        UserRecord u => u.Seq,
        ConversationRecord c => c.Seq,
        ParticipantRecord p => p.Seq,
        ConversationWebhookRecord w => w.Seq,
        WebhookDeliveryRecord d => d.Seq,
        _ => 0,
    };

    private static T Parent<T>(T? parent, IRecord child, string parentSid)
        where T : class =>
        parent ?? throw new InvalidDataException($"{child.GetType().Name.Replace("Record", "", StringComparison.Ordinal)} {child.Sid} belongs to {parentSid}, which is not stored");

    internal UnitOfWork Begin() => _work = new UnitOfWork(_seq, WriteOrigin.Current);

    internal void End() => _work = null;

    /// <summary>Undoes every change of <paramref name="work"/>, newest first: the state is as it was before the write.</summary>
    internal void Rollback(UnitOfWork work)
    {
        for (var i = work.Undo.Count - 1; i >= 0; i--)
        {
            work.Undo[i]();
        }

        _seq = work.Seq;
        work.Changes.Clear();
        work.Events.Clear();
    }

    internal void Record(string kind, string sid, IRecord? old, IRecord? current, Action undo)
    {
        if (_work is { } work)
        {
            work.Changes.Add(new StateChange(kind, sid, old, current));
            work.Undo.Add(undo);
        }
    }
}

/// <summary>One write in progress: its changes (what the store persists), how to undo them, and its events.</summary>
internal sealed class UnitOfWork(long seq, WriteOrigin? origin)
{
    public long Seq { get; } = seq;

    public WriteOrigin? Origin { get; } = origin;

    public List<StateChange> Changes { get; } = [];

    public List<Action> Undo { get; } = [];

    public List<EmulatorEvent> Events { get; } = [];
}

/// <summary>
/// Records by SID. Every change is recorded in the state's write, and <see cref="Indexed"/> keeps a table's indexes in
/// step (it may refuse a change, before anything moved, when a unique key is taken).
/// </summary>
internal abstract class Table<TValue>(EmulatorState state, string kind)
    where TValue : class, IRecord
{
    private readonly Dictionary<string, TValue> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public IEnumerable<TValue> Values => _items.Values;

    protected EmulatorState State => state;

    public TValue? Find(string sid) => _items.GetValueOrDefault(sid);

    public void Add(TValue value)
    {
        if (_items.ContainsKey(value.Sid))
        {
            throw new InvalidDataException($"Two {kind} records have the SID {value.Sid}");
        }

        Put(value.Sid, null, value);
        state.Record(kind, value.Sid, null, value, () => Put(value.Sid, value, null));
    }

    public void Replace(TValue value)
    {
        var old = _items[value.Sid];
        Put(value.Sid, old, value);
        state.Record(kind, value.Sid, old, value, () => Put(value.Sid, value, old));
    }

    public void Remove(TValue value)
    {
        var old = _items[value.Sid];
        Put(value.Sid, old, null);
        state.Record(kind, value.Sid, old, null, () => Put(value.Sid, null, old));
    }

    /// <summary>Moves indexes from <paramref name="old"/> to <paramref name="current"/> (null when absent).</summary>
    protected virtual void Indexed(TValue? old, TValue? current)
    {
    }

    private void Put(string sid, TValue? old, TValue? current)
    {
        Indexed(old, current);
        if (current is null)
        {
            _items.Remove(sid);
        }
        else
        {
            _items[sid] = current;
        }
    }
}
