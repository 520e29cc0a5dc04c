using System.Text.Encodings.Web;
using System.Text.Json;
using Twilio.ChatRooms;

namespace AdminConsole;

/// <summary>What <c>list --json</c> and <c>members --json</c> print.</summary>
internal static class JsonOutput
{
    // For a terminal and jq, not a web page: "+15551230001" rather than "\u002B15551230001".
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Rooms as a JSON array of <c>{name, sid}</c>.</summary>
    public static string Rooms(IReadOnlyList<ChatRoom> rooms) => Array(rooms, (writer, room) =>
    {
        writer.WriteString("name", room.Name);
        writer.WriteString("sid", room.Sid);
    });

    /// <summary>Participants as a JSON array of <c>{sid, identity, phoneNumber, proxyNumber}</c>.</summary>
    public static string Participants(IReadOnlyList<ChatRoomParticipant> participants) => Array(participants, (writer, participant) =>
    {
        writer.WriteString("sid", participant.Sid);
        writer.WriteString("identity", participant.Identity);
        writer.WriteString("phoneNumber", participant.PhoneNumber);
        writer.WriteString("proxyNumber", participant.ProxyNumber);
    });

    private static string Array<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                writer.WriteStartObject();
                writeFields(writer, item);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
