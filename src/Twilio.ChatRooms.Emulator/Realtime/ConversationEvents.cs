using Twilio.ChatRooms.Emulator.Domain;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>What the service layer reports after each committed write, for the real-time hub.</summary>
internal interface IConversationEvents
{
    void ConversationUpdated(ConversationRecord conversation);

    void ConversationRemoved(ConversationRecord conversation, IReadOnlyList<ParticipantRecord> formerParticipants);

    void ParticipantAdded(ParticipantRecord participant);

    void ParticipantUpdated(ParticipantRecord participant);

    void ParticipantRemoved(ParticipantRecord participant);

    void MessageAdded(MessageRecord message);

    void MessageUpdated(MessageRecord message);

    void MessageRemoved(MessageRecord message);
}

/// <summary>Reports nothing; the default before the hub is wired up.</summary>
internal sealed class NoConversationEvents : IConversationEvents
{
    public static readonly NoConversationEvents Instance = new();

    public void ConversationUpdated(ConversationRecord conversation) { }

    public void ConversationRemoved(ConversationRecord conversation, IReadOnlyList<ParticipantRecord> formerParticipants) { }

    public void ParticipantAdded(ParticipantRecord participant) { }

    public void ParticipantUpdated(ParticipantRecord participant) { }

    public void ParticipantRemoved(ParticipantRecord participant) { }

    public void MessageAdded(MessageRecord message) { }

    public void MessageUpdated(MessageRecord message) { }

    public void MessageRemoved(MessageRecord message) { }
}
