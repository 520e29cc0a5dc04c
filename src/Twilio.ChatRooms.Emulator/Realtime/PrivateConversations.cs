using System.Text.Json;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>
/// Which conversations a non-participant may see and join on the hub. On Twilio a user sees only the conversations
/// they take part in; the hub also lists the rooms (conversations with a unique name) so a client can offer them,
/// but never a conversation whose attributes mark it private, as Twilio.ChatRooms' private conversations do
/// (<c>{"chatrooms":{"kind":"private",...}}</c>): it is not listed, and joining it answers as for an unknown SID.
/// </summary>
internal static class PrivateConversations
{
    public static bool IsOpenToNonParticipants(ConversationRecord conversation) =>
        conversation.UniqueName is not null && !IsMarkedPrivate(conversation.Attributes);

    private static bool IsMarkedPrivate(string attributes)
    {
        try
        {
            using var document = JsonDocument.Parse(attributes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("chatrooms", out var chatrooms)
                && chatrooms.ValueKind == JsonValueKind.Object
                && chatrooms.TryGetProperty("kind", out var kind)
                && kind.ValueKind == JsonValueKind.String
                && kind.GetString() == "private";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
