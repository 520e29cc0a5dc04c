namespace Twilio.ChatRooms;

/// <summary>Makes a chat user ready to chat: a Conversations user with the participant role, in every room.</summary>
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
    /// <param name="identity">The user's identity: 1 to 256 characters, no control characters.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>Every room, in the order the conversation service lists them.</returns>
    /// <exception cref="ChatRoomsException">
    /// Twilio refused a request, or the participant role does not exist
    /// (<see cref="ChatRoomsErrorKind.Configuration"/>; <see cref="EnsureParticipantRoleAsync"/> creates it).
    /// </exception>
    Task<IReadOnlyList<ChatRoom>> ProvisionAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure the participant service role exists with exactly the permissions
    /// <c>joinConversation</c> and <c>editOwnUserInfo</c>: creates it when absent, corrects it when it differs.
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
