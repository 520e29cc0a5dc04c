namespace Twilio.ChatRooms;

/// <summary>Private conversations: one conversation per pair of users, with exactly those two as participants.</summary>
/// <remarks>
/// A private conversation is not a room: <see cref="IChatRoomAdmin"/> does not list, get or delete it, and
/// <see cref="IParticipantProvisioner"/> never adds anyone else to it. Its attributes are
/// <c>{"chatrooms":{"kind":"private","members":["alice","bob"]}}</c> (members sorted), which is how it is told apart.
/// </remarks>
public interface IPrivateConversations
{
    /// <summary>
    /// Starts the private conversation of <paramref name="identity"/> and <paramref name="otherIdentity"/>, or returns
    /// the one they already have.
    /// </summary>
    /// <remarks>
    /// Idempotent and safe under concurrency: the pair's conversation has a unique name derived from the two identities
    /// (in either order) with a server-side key (<see cref="TwilioChatRoomsOptions.PrivateConversationKey"/>), so
    /// starts by either user, at the same time or not, all end with the same single conversation
    /// and both users as its participants. The other user must exist already; <paramref name="identity"/> is created
    /// with the participant role when it does not.
    /// </remarks>
    /// <param name="identity">The user starting the conversation, in its canonical form (<see cref="ChatIdentity.Canonicalize"/>).</param>
    /// <param name="otherIdentity">The user to talk to: an existing user, other than <paramref name="identity"/> once both are canonical.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>The conversation, its two members sorted ordinally.</returns>
    /// <exception cref="ArgumentException">
    /// An identity is not valid, or both are the same (naming <paramref name="otherIdentity"/>).
    /// </exception>
    /// <exception cref="ChatRoomsException">
    /// <paramref name="otherIdentity"/> is not a user (<see cref="ChatRoomsErrorKind.NotFound"/>, "User 'bob' not found.");
    /// the participant role does not exist (<see cref="ChatRoomsErrorKind.Configuration"/>); the pair's unique name is
    /// taken by a conversation that is not their private conversation (<see cref="ChatRoomsErrorKind.AlreadyExists"/>);
    /// or Twilio refused a request.
    /// </exception>
    Task<PrivateConversation> StartAsync(string identity, string otherIdentity, CancellationToken cancellationToken = default);
}

/// <summary>A private conversation between two users.</summary>
/// <param name="Sid">The conversation SID (<c>CH</c>...), to open it with the Conversations SDK.</param>
/// <param name="UniqueName">
/// <c>private:</c> followed by 64 lowercase hex digits (an HMAC of the pair), the same for the pair in either order.
/// </param>
/// <param name="FriendlyName">The members joined by ", ", such as "alice, bob".</param>
/// <param name="Members">The two identities, sorted ordinally.</param>
public sealed record PrivateConversation(string Sid, string UniqueName, string FriendlyName, IReadOnlyList<string> Members);
