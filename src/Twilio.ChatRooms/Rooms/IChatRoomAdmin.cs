namespace Twilio.ChatRooms;

/// <summary>Lists, finds, creates and deletes chat rooms in the conversation service.</summary>
/// <remarks>
/// Room names are unique: a room's name is stored as the conversation's <c>UniqueName</c> (and its
/// <c>FriendlyName</c>), so the uniqueness check is Twilio's own and creation is atomic.
/// Every method throws <see cref="ChatRoomsException"/> when Twilio answers with an error, and
/// <see cref="ArgumentException"/> for a name that Twilio would refuse, before any request is sent.
/// </remarks>
public interface IChatRoomAdmin
{
    /// <summary>Lists every room, fetching pages as the caller enumerates them; private conversations are not rooms.</summary>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>The rooms, in the order the conversation service lists them.</returns>
    IAsyncEnumerable<ChatRoom> ListRoomsAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets a room by its name.</summary>
    /// <param name="name">The room's name (or its SID).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The room.</returns>
    /// <exception cref="ChatRoomsException">
    /// No room has that name, or it names a private conversation (<see cref="ChatRoomsErrorKind.NotFound"/>).
    /// </exception>
    Task<ChatRoom> GetRoomAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a room.</summary>
    /// <param name="name">
    /// The new room's name: 1 to 256 characters, no control characters, not starting with <c>private:</c> (reserved for
    /// private conversations).
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The room that was created.</returns>
    /// <exception cref="ChatRoomsException">A room of that name exists (<see cref="ChatRoomsErrorKind.AlreadyExists"/>, Twilio code 50353).</exception>
    Task<ChatRoom> CreateRoomAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a room and its messages.</summary>
    /// <param name="name">The room's name (or its SID).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>A task that completes when the room is gone.</returns>
    /// <exception cref="ChatRoomsException">
    /// No room has that name, or it names a private conversation, which this method never deletes
    /// (<see cref="ChatRoomsErrorKind.NotFound"/>).
    /// </exception>
    Task DeleteRoomAsync(string name, CancellationToken cancellationToken = default);
}
