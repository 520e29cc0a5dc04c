using System.Text.Json;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms;

/// <summary>
/// How a private conversation is told apart from a room: its attributes are
/// <c>{"chatrooms":{"kind":"private","members":[...]}}</c>. Rooms, listings and provisioning skip such conversations.
/// </summary>
internal static class PrivateConversationAttributes
{
    /// <summary>The start of every private conversation's unique name; no room name may start with it.</summary>
    public const string UniqueNamePrefix = "private:";

    /// <summary>Whether a conversation (or a user's conversation record) is marked private by its attributes.</summary>
    public static bool IsPrivate(JsonElement conversation)
    {
        if (conversation.ValueKind != JsonValueKind.Object || !conversation.TryGetProperty("attributes", out var attributes))
        {
            return false;
        }

        // Twilio sends attributes as a JSON string; accept an object too.
        if (attributes.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(attributes.GetString()!);
                return IsPrivateKind(document.RootElement);
            }
            catch (JsonException)
            {
                return false; // attributes someone else wrote: not ours, so not private
            }
        }

        return IsPrivateKind(attributes);
    }

    private static bool IsPrivateKind(JsonElement attributes)
        => attributes.ValueKind == JsonValueKind.Object
            && attributes.TryGetProperty("chatrooms", out var chatrooms)
            && chatrooms.String("kind") == "private";
}
