using System.Text.Json;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.ConversationsRest;

/// <summary>
/// A conversation as the library reads it: from <c>/Conversations</c> or a user's conversation record
/// (<c>/Users/{identity}/Conversations</c>, where the SID is <c>conversation_sid</c>).
/// </summary>
/// <param name="Sid">The conversation SID.</param>
/// <param name="UniqueName">Its unique name, if any.</param>
/// <param name="FriendlyName">Its friendly name, if any.</param>
/// <param name="PrivateMembers">The members named by the private marker in its attributes; null when it is not private.</param>
/// <param name="MarkedKind">The kind its <c>chatrooms</c> marker names (private, group, ...); null when unmarked.</param>
internal sealed record ConversationRecord(string Sid, string? UniqueName, string? FriendlyName, IReadOnlyList<string>? PrivateMembers, string? MarkedKind = null)
{
    /// <summary>Marked private by <see cref="ChatRoomsAttributes"/>: never a room.</summary>
    public bool IsPrivate => PrivateMembers is not null;

    /// <summary>
    /// A room: it has a unique name (the room's name) and no <c>chatrooms</c> marker, so neither a private conversation
    /// nor a group a user made (a group given a unique name is still no room: listed by nobody, joined through nobody).
    /// </summary>
    public bool IsRoom => !string.IsNullOrEmpty(UniqueName) && !IsPrivate && MarkedKind is null;

    /// <summary>The name it has as a room: its unique name, else its friendly name, else its SID.</summary>
    public string RoomName => UniqueName is { Length: > 0 } unique ? unique : FriendlyName is { Length: > 0 } friendly ? friendly : Sid;

    internal static ConversationRecord From(JsonElement json, string sidName) => new(
        json.RequiredString(sidName),
        json.String("unique_name"),
        json.String("friendly_name"),
        ChatRoomsAttributes.PrivateMembers(json),
        ChatRoomsAttributes.MarkedKind(json));
}

/// <summary>A service role as Twilio lists it.</summary>
internal sealed record RoleRecord(string Sid, string? Name, string? Type, IReadOnlyList<string> Permissions);

/// <summary>A participant as Twilio answers it: a chat user (identity) or an SMS participant (messaging binding).</summary>
internal sealed record ParticipantRecord(string Sid, string? Identity, string? Address, string? ProxyAddress)
{
    internal static ParticipantRecord From(JsonElement participant)
    {
        var binding = participant.TryGetProperty("messaging_binding", out var b) ? b : default;
        return new ParticipantRecord(
            participant.RequiredString("sid"),
            participant.String("identity"),
            binding.String("address"),
            binding.String("proxy_address"));
    }
}
