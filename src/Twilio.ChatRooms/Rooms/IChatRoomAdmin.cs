namespace Twilio.ChatRooms;

/// <summary>Lists, finds, creates and deletes chat rooms in the conversation service, and manages their SMS participants.</summary>
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
    /// The new room's name: 1 to 256 characters, no control characters, not <c>.</c> or <c>..</c>, not starting with <c>private:</c> (reserved for
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

    /// <summary>Lists the room's participants, chat users and SMS participants alike, fetching pages as the caller enumerates them.</summary>
    /// <param name="roomName">The room's name (or its SID).</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>The participants, in the order the conversation service lists them.</returns>
    /// <exception cref="ChatRoomsException">
    /// No room has that name, or it names a private conversation (<see cref="ChatRoomsErrorKind.NotFound"/>), thrown
    /// when the enumeration starts.
    /// </exception>
    IAsyncEnumerable<ChatRoomParticipant> ListParticipantsAsync(string roomName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a phone number to the room as an SMS participant: what the room says is texted to
    /// <paramref name="phoneNumber"/> from <paramref name="proxyNumber"/>, and what the number texts to the proxy number
    /// appears in the room.
    /// </summary>
    /// <remarks>
    /// Not idempotent: Twilio allows a number and proxy number pair in one conversation of the service only, so adding
    /// it again (to this room or another) is <see cref="ChatRoomsErrorKind.AlreadyExists"/>.
    /// </remarks>
    /// <param name="roomName">The room's name (or its SID).</param>
    /// <param name="phoneNumber">The participant's number in E.164 form: <c>+</c> then 2 to 15 digits.</param>
    /// <param name="proxyNumber">A Twilio number of the account, in E.164 form, that the participant texts with.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>The new participant.</returns>
    /// <exception cref="ArgumentException">
    /// The room name is not valid, or a number is not in E.164 form (naming <paramref name="phoneNumber"/> or
    /// <paramref name="proxyNumber"/>); checked before any request.
    /// </exception>
    /// <exception cref="ChatRoomsException">
    /// No room has that name (<see cref="ChatRoomsErrorKind.NotFound"/>); the pair is already a participant
    /// (<see cref="ChatRoomsErrorKind.AlreadyExists"/>, HTTP 409, Twilio code 50416); or Twilio refused the request, such
    /// as a room with 50 SMS participants already (<see cref="ChatRoomsErrorKind.Other"/>, Twilio code 50422).
    /// </exception>
    Task<ChatRoomParticipant> AddSmsParticipantAsync(string roomName, string phoneNumber, string proxyNumber, CancellationToken cancellationToken = default);

    /// <summary>Removes a phone number from the room's SMS participants (through every proxy number it has there).</summary>
    /// <param name="roomName">The room's name (or its SID).</param>
    /// <param name="phoneNumber">The participant's number in E.164 form, as it was added.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>A task that completes when the number is no longer a participant of the room.</returns>
    /// <exception cref="ArgumentException">The room name is not valid, or the number is not in E.164 form.</exception>
    /// <exception cref="ChatRoomsException">
    /// No room has that name, or the number is not a participant of it (<see cref="ChatRoomsErrorKind.NotFound"/>, with a
    /// message that says which).
    /// </exception>
    Task RemoveSmsParticipantAsync(string roomName, string phoneNumber, CancellationToken cancellationToken = default);
}
