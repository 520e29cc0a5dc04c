using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.ConversationsRest;

/// <summary>
/// What the library writes into a conversation's attributes, and how it reads it back: a private conversation is
/// <c>{"chatrooms":{"kind":"private","members":["alice","bob"]}}</c> (members sorted).
/// </summary>
internal static class ChatRoomsAttributes
{
    /// <summary>The start of every private conversation's unique name; no room name may start with it.</summary>
    public const string PrivateUniqueNamePrefix = "private:";

    /// <summary>The attributes of a private conversation of <paramref name="members"/>.</summary>
    public static string Private(IReadOnlyList<string> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("chatrooms");
            writer.WriteString("kind", "private");
            writer.WriteStartArray("members");
            foreach (var member in members)
            {
                writer.WriteStringValue(member);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The members named in a conversation's private marker; null when it is not marked private.</summary>
    public static IReadOnlyList<string>? PrivateMembers(JsonElement conversation)
    {
        if (conversation.ValueKind != JsonValueKind.Object || !conversation.TryGetProperty("attributes", out var attributes))
        {
            return null;
        }

        // Twilio sends attributes as a JSON string; accept an object too.
        if (attributes.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(attributes.GetString()!);
                return Members(document.RootElement);
            }
            catch (JsonException)
            {
                return null; // attributes someone else wrote: not ours, so not private
            }
        }

        return Members(attributes);

        static IReadOnlyList<string>? Members(JsonElement root)
            => root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("chatrooms", out var chatrooms)
                && chatrooms.String("kind") == "private"
                    ? chatrooms.Strings("members")
                    : null;
    }
}
