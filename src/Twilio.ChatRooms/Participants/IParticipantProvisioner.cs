namespace Twilio.ChatRooms;

/// <summary>
/// Makes a chat user ready to chat: a Conversations user with the participant role, either in every room
/// (<see cref="ProvisionAsync"/>, the tutorial's login) or in the rooms it chooses (<see cref="EnsureUserAsync"/>,
/// <see cref="JoinRoomAsync"/>, <see cref="LeaveRoomAsync"/>).
/// </summary>
public interface IParticipantProvisioner
{
    /// <summary>
    /// Creates the Conversations user <paramref name="identity"/> with the role named by
    /// <see cref="TwilioChatRoomsOptions.ParticipantRoleName"/>, then makes it a participant of every room.
    /// </summary>
    /// <remarks>
    /// Idempotent: a user or membership that exists already counts as success, so a returning user costs a few
    /// requests whatever the room count (the memberships are read in one paged call and only missing rooms are
    /// added, <see cref="TwilioChatRoomsOptions.ProvisioningConcurrency"/> at a time).
    /// </remarks>
    /// <param name="identity">The user's identity, used in its canonical form (<see cref="ChatIdentity.Canonicalize"/>: <c>Alice</c> is <c>alice</c>).</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>Every room, in the order the conversation service lists them; private conversations are not rooms.</returns>
    /// <exception cref="ChatRoomsException">
    /// Twilio refused a request, or the participant role does not exist
    /// (<see cref="ChatRoomsErrorKind.Configuration"/>; <see cref="EnsureParticipantRoleAsync"/> creates it).
    /// </exception>
    Task<IReadOnlyList<ChatRoom>> ProvisionAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the Conversations user <paramref name="identity"/> with the participant role when it does not exist, and
    /// returns the rooms it is a participant of; joins no room. The login step of a host where joining is optional.
    /// </summary>
    /// <remarks>
    /// Idempotent: an existing user is left as it is. The memberships are read in one paged call; private
    /// conversations (<see cref="IPrivateConversations"/>) are not rooms and are left out.
    /// </remarks>
    /// <param name="identity">The user's identity, used in its canonical form (<see cref="ChatIdentity.Canonicalize"/>: <c>Alice</c> is <c>alice</c>).</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>The user's rooms, in the order the conversation service lists the user's conversations; empty for a new user.</returns>
    /// <exception cref="ArgumentException"><paramref name="identity"/> is not a valid identity.</exception>
    /// <exception cref="ChatRoomsException">
    /// Twilio refused a request, or the participant role does not exist (<see cref="ChatRoomsErrorKind.Configuration"/>).
    /// </exception>
    Task<IReadOnlyList<ChatRoom>> EnsureUserAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="identity"/> a participant of the room <paramref name="roomName"/>.</summary>
    /// <remarks>
    /// Idempotent: a user who is already a member succeeds with nothing changed. A user that does not exist yet is
    /// created with the participant role first (Twilio would otherwise create it with the service's default role).
    /// </remarks>
    /// <param name="identity">The user's identity, used in its canonical form (<see cref="ChatIdentity.Canonicalize"/>: <c>Alice</c> is <c>alice</c>).</param>
    /// <param name="roomName">The room's name (or SID).</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>The room joined.</returns>
    /// <exception cref="ArgumentException"><paramref name="identity"/> or <paramref name="roomName"/> is not valid.</exception>
    /// <exception cref="ChatRoomsException">
    /// No room has that name, or it names a private conversation (<see cref="ChatRoomsErrorKind.NotFound"/>,
    /// "Chat room 'x' not found."); the participant role does not exist (<see cref="ChatRoomsErrorKind.Configuration"/>);
    /// or Twilio refused a request, such as a room that is full (<see cref="ChatRoomsErrorKind.Other"/>, Twilio code 50417).
    /// </exception>
    Task<ChatRoom> JoinRoomAsync(string identity, string roomName, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="identity"/> from the participants of the room <paramref name="roomName"/>.</summary>
    /// <remarks>
    /// Idempotent: a user who is not a member (or does not exist) is not an error and nothing is changed, so a retried
    /// or doubled leave succeeds. The room itself must exist.
    /// </remarks>
    /// <param name="identity">The user's identity, used in its canonical form (<see cref="ChatIdentity.Canonicalize"/>: <c>Alice</c> is <c>alice</c>).</param>
    /// <param name="roomName">The room's name (or SID).</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>A task that completes when the user is no longer a member.</returns>
    /// <exception cref="ArgumentException"><paramref name="identity"/> or <paramref name="roomName"/> is not valid.</exception>
    /// <exception cref="ChatRoomsException">
    /// No room has that name, or it names a private conversation (<see cref="ChatRoomsErrorKind.NotFound"/>,
    /// "Chat room 'x' not found."); or Twilio refused a request.
    /// </exception>
    Task LeaveRoomAsync(string identity, string roomName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure the participant service role exists with exactly the permissions <c>joinConversation</c> and
    /// <c>editOwnUserInfo</c>, plus <c>createConversation</c> when
    /// <see cref="TwilioChatRoomsOptions.UsersMayCreateConversations"/> (those of Twilio's default service role: a user may
    /// make a conversation of their own with the SDK, a group; rooms and private conversations stay the server's):
    /// creates it when absent, corrects it when it differs. Also adds
    /// <c>editAnyMessageAttributes</c> to the service's default conversation role when it lacks it (Twilio's default
    /// "channel user" does), so that room members can react to each other's messages (reactions live in a message's
    /// attributes); it removes nothing from that role.
    /// </summary>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>What was found and what was changed.</returns>
    Task<ParticipantRoleSetup> EnsureParticipantRoleAsync(CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IParticipantProvisioner.EnsureParticipantRoleAsync"/>.</summary>
/// <param name="ServiceSid">The conversation service the role belongs to (<c>IS</c>...).</param>
/// <param name="RoleName">The role's name.</param>
/// <param name="RoleSid">The role's SID (<c>RL</c>...).</param>
/// <param name="Change">Whether the role was created, updated or already right.</param>
public sealed record ParticipantRoleSetup(string ServiceSid, string RoleName, string RoleSid, RoleSetupChange Change);

/// <summary>What <see cref="IParticipantProvisioner.EnsureParticipantRoleAsync"/> changed.</summary>
public enum RoleSetupChange
{
    /// <summary>The role existed with the right permissions; nothing was changed.</summary>
    None = 0,

    /// <summary>The role did not exist and was created.</summary>
    Created = 1,

    /// <summary>The role existed with other permissions and was corrected.</summary>
    PermissionsUpdated = 2,
}
