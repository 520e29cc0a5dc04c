using System.Text.Json;

namespace Twilio.ChatRooms.Http;

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
}
