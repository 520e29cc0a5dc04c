using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.ConversationsRest;

/// <summary>
/// What the library writes into a conversation's attributes, and how it reads it back: a private conversation is
/// <c>{"chatrooms":{"kind":"private","members":["alice","bob"]}}</c> (members sorted). Front ends mark what users
/// make themselves too: the React client's groups are <c>{"chatrooms":{"kind":"group"}}</c>.
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
        => Read(conversation, chatrooms => chatrooms.String("kind") == "private" ? chatrooms.Strings("members") : null);

    /// <summary>
    /// The kind a conversation's <c>chatrooms</c> marker names (<c>private</c>, <c>group</c>, or whatever a front end
    /// wrote); null when it has none, as every room has.
    /// </summary>
    public static string? MarkedKind(JsonElement conversation) => Read(conversation, chatrooms => chatrooms.String("kind"));

    private static T? Read<T>(JsonElement conversation, Func<JsonElement, T?> marker)
        where T : class
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
                return Marker(document.RootElement, marker);
            }
            catch (JsonException)
            {
                return null; // attributes someone else wrote: not ours, so unmarked
            }
        }

        return Marker(attributes, marker);

        static T? Marker(JsonElement root, Func<JsonElement, T?> marker)
            => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("chatrooms", out var chatrooms) && chatrooms.ValueKind == JsonValueKind.Object
                ? marker(chatrooms)
                : null;
    }
}
