namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// What a committed write did, named as Twilio's webhooks name it. Raised by the resource rules inside a write and
/// published by <see cref="EmulatorStore"/> only once the write is durable, in commit order.
/// </summary>
internal abstract record EmulatorEvent;

internal sealed record ConversationAdded(ConversationRecord Conversation) : EmulatorEvent;

internal sealed record ConversationUpdated(ConversationRecord Conversation) : EmulatorEvent;

/// <summary>A conversation's state changed (raised beside its <see cref="ConversationUpdated"/>).</summary>
internal sealed record ConversationStateUpdated(ConversationRecord Conversation, string StateFrom) : EmulatorEvent;

internal sealed record ConversationRemoved(ConversationRecord Conversation, IReadOnlyList<ParticipantRecord> FormerParticipants) : EmulatorEvent;

internal sealed record ParticipantAdded(ParticipantRecord Participant, ConversationRecord Conversation) : EmulatorEvent;

internal sealed record ParticipantUpdated(ParticipantRecord Participant) : EmulatorEvent;

internal sealed record ParticipantRemoved(ParticipantRecord Participant, ConversationRecord Conversation) : EmulatorEvent;

internal sealed record MessageAdded(MessageRecord Message) : EmulatorEvent;

internal sealed record MessageUpdated(MessageRecord Message) : EmulatorEvent;

internal sealed record MessageRemoved(MessageRecord Message) : EmulatorEvent;

internal sealed record UserAdded(UserRecord User) : EmulatorEvent;

internal sealed record UserUpdated(UserRecord User) : EmulatorEvent;

/// <summary>A media file's record is gone (deleted with its message, or never attached and expired): its bytes may go.</summary>
internal sealed record MediaRemoved(MediaRecord Media) : EmulatorEvent;

/// <summary>Post-event webhooks a write caused, recorded in that write (raised by an <see cref="IEventRecorder"/>).</summary>
internal sealed record WebhooksQueued(IReadOnlyList<WebhookDeliveryRecord> Deliveries) : EmulatorEvent;

/// <summary>
/// A face of the emulator that pushes changes to its clients (the client face's Sync fan-out). Registered in DI and given to
/// the store's constructor. Called inside the store's lock, so in commit order: queue the work, never block, never
/// call back into the store.
/// </summary>
internal interface IChangeListener
{
    void Committed(EmulatorEvent change);
}

/// <summary>
/// Adds to a write, after its rules ran and before it commits, the records its events cause (the post-event webhooks
/// to deliver), so they are durable with the change or not at all. Called inside the store's lock: read and write the
/// state only, never block.
/// </summary>
internal interface IEventRecorder
{
    void Record(EmulatorState state, IReadOnlyList<EmulatorEvent> events, IReadOnlyList<StateChange> changes, WriteOrigin? origin);
}
