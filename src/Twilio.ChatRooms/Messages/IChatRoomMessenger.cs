namespace Twilio.ChatRooms;

/// <summary>Posts messages to a room from the server, text and files, for bots and admin tools.</summary>
/// <remarks>
/// Files go as Twilio documents it: each is uploaded to the Media Content Service with the account's credentials, then
/// the message is created with their media SIDs, so every participant receives it with its files.
/// </remarks>
public interface IChatRoomMessenger
{
    /// <summary>Posts a message with text, files or both to a room.</summary>
    /// <param name="roomName">The room's name (or its SID).</param>
    /// <param name="text">The message's text; may be null when there are files.</param>
    /// <param name="files">Files to attach (at most 10), each read once from its stream; none when null.</param>
    /// <param name="author">Whom the message is from; <c>system</c> (the server) when null.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>The message that was posted.</returns>
    /// <exception cref="ArgumentException">Neither text nor files, more than 10 files, or an invalid room name; checked before any request.</exception>
    /// <exception cref="ChatRoomsException">
    /// No room has that name (<see cref="ChatRoomsErrorKind.NotFound"/>), or Twilio refused a file or the message (such
    /// as a file over 150 MB, Twilio code 50512).
    /// </exception>
    Task<ChatRoomMessage> SendAsync(string roomName, string? text, IReadOnlyList<ChatRoomFile>? files = null, string? author = null,
        CancellationToken cancellationToken = default);
}

/// <summary>A file to attach to a message.</summary>
/// <param name="FileName">The name participants see and download it as.</param>
/// <param name="ContentType">Its MIME type, such as <c>image/png</c>.</param>
/// <param name="Content">Its bytes, read from the current position to the end (a seekable stream can be sent again after a retry).</param>
public sealed record ChatRoomFile(string FileName, string ContentType, Stream Content);

/// <summary>A message posted to a room.</summary>
/// <param name="Sid">The message SID (<c>IM</c> followed by 32 hex digits).</param>
/// <param name="Index">Its index in the room.</param>
/// <param name="Author">Whom it is from.</param>
/// <param name="Body">Its text, null when it holds only files.</param>
/// <param name="MediaSids">The media SIDs of its files, in the order given.</param>
public sealed record ChatRoomMessage(string Sid, int Index, string Author, string? Body, IReadOnlyList<string> MediaSids);
