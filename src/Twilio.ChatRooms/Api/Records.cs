using System.Text.Json;

namespace Twilio.ChatRooms.Api;

/// <summary>
/// A conversation as the library reads it: from <c>/Conversations</c> or a user's conversation record
/// (<c>/Users/{identity}/Conversations</c>, where the SID is <c>conversation_sid</c>).
/// </summary>
/// <param name="Sid">The conversation SID.</param>
/// <param name="UniqueName">Its unique name, if any.</param>
/// <param name="FriendlyName">Its friendly name, if any.</param>
/// <param name="PrivateMembers">The members named by the private marker in its attributes; null when it is not private.</param>
internal sealed record ConversationRecord(string Sid, string? UniqueName, string? FriendlyName, IReadOnlyList<string>? PrivateMembers)
{
    /// <summary>Marked private by <see cref="ChatRoomsAttributes"/>: never a room.</summary>
    public bool IsPrivate => PrivateMembers is not null;

    /// <summary>A room: it has a unique name (the room's name) and is not private.</summary>
    public bool IsRoom => !string.IsNullOrEmpty(UniqueName) && !IsPrivate;

    /// <summary>The room it is: named by its unique name, else its friendly name, else its SID.</summary>
    public ChatRoom ToRoom() => new(
        UniqueName is { Length: > 0 } unique ? unique : FriendlyName is { Length: > 0 } friendly ? friendly : Sid,
        Sid);

    internal static ConversationRecord From(JsonElement json, string sidName) => new(
        json.RequiredString(sidName),
        json.String("unique_name"),
        json.String("friendly_name"),
        ChatRoomsAttributes.PrivateMembers(json));
}

/// <summary>A service role as Twilio lists it.</summary>
internal sealed record RoleRecord(string Sid, string? Name, string? Type, IReadOnlyList<string> Permissions);

/// <summary>Reading Twilio's snake_case JSON.</summary>
internal static class Json
{
    public static string? String(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

    public static string RequiredString(this JsonElement element, string name)
        => element.String(name)
            ?? throw new ChatRoomsException(ChatRoomsErrorKind.Other, $"Twilio's answer had no '{name}'.");

    public static IReadOnlyList<string> Strings(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
                : [];

    public static ChatRoomParticipant ToParticipant(JsonElement participant)
    {
        var binding = participant.TryGetProperty("messaging_binding", out var b) ? b : default;
        return new ChatRoomParticipant(
            participant.RequiredString("sid"),
            participant.String("identity"),
            binding.String("address"),
            binding.String("proxy_address"));
    }
}
