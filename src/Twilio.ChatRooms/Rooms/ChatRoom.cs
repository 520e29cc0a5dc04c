namespace Twilio.ChatRooms;

/// <summary>A chat room: a Twilio conversation whose unique name is the room's name.</summary>
/// <param name="Name">The room's name, unique within the conversation service.</param>
/// <param name="Sid">The conversation SID (<c>CH</c> followed by 32 hex digits).</param>
public sealed record ChatRoom(string Name, string Sid);
