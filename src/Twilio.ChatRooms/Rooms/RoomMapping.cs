using Twilio.ChatRooms.ConversationsRest;

namespace Twilio.ChatRooms;

/// <summary>Twilio's records as the library's public values: the REST layer never builds public types.</summary>
internal static class RoomMapping
{
    /// <summary>The room a conversation is, named by <see cref="ConversationRecord.RoomName"/>.</summary>
    public static ChatRoom ToRoom(this ConversationRecord conversation) => new(conversation.RoomName, conversation.Sid);

    public static ChatRoomParticipant ToParticipant(this ParticipantRecord participant)
        => new(participant.Sid, participant.Identity, participant.Address, participant.ProxyAddress);
}
