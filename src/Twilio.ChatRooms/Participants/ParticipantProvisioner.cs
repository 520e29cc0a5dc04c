using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.ConversationsRest;

namespace Twilio.ChatRooms;

/// <summary>Creates the user and adds it to the rooms it is missing from, concurrently and idempotently.</summary>
internal sealed class ParticipantProvisioner(
    ConversationsApi api,
    ChatRoomsLookups lookups,
    IOptions<TwilioChatRoomsOptions> options,
    ILogger<ParticipantProvisioner> logger) : IParticipantProvisioner
{
    /// <summary>
    /// The participant role's permissions: join a conversation and edit oneself (the tutorial's), and, when
    /// <see cref="TwilioChatRoomsOptions.UsersMayCreateConversations"/>, create one (a group, made through the SDK as in
    /// Twilio's demo; its creator joins with the service's conversation-creator role and may add others), as Twilio's
    /// own default service role ("service user") does. Nothing else.
    /// </summary>
    internal static string[] ParticipantPermissions(TwilioChatRoomsOptions options) => options.UsersMayCreateConversations
        ? ["createConversation", "joinConversation", "editOwnUserInfo"]
        : ["joinConversation", "editOwnUserInfo"];

    /// <summary>
    /// What room members need beyond Twilio's default conversation role (channel user): reactions are kept in the
    /// message's attributes, as in Twilio's demo, so reacting to someone else's message is an attribute edit of it.
    /// </summary>
    internal const string ReactToAnyMessage = "editAnyMessageAttributes";

    public async Task<IReadOnlyList<ChatRoom>> ProvisionAsync(string identity, CancellationToken cancellationToken = default)
    {
        identity = ChatIdentity.Canonicalize(identity, nameof(identity));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);

        // The user and the room list do not depend on each other: fetch them together.
        var userTask = api.CreateUserAsync(serviceSid, identity, roleSid, cancellationToken);
        var roomsTask = api.ListRoomsAsync(serviceSid, cancellationToken).ToListAsync(cancellationToken).AsTask();
        await Task.WhenAll(userTask, roomsTask).WaitAsync(cancellationToken).ConfigureAwait(false);
        var newUser = await userTask.ConfigureAwait(false);
        var rooms = await roomsTask.ConfigureAwait(false);

        // A new user belongs to no room; a returning one's memberships are read in one paged call.
        var memberships = newUser
            ? []
            : await ReadMembershipsAsync(serviceSid, identity, cancellationToken).ConfigureAwait(false);
        var missing = rooms.Where(room => !memberships.Contains(room.Sid)).ToList();
        var gone = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        await Parallel.ForEachAsync(
            missing,
            new ParallelOptions
            {
                MaxDegreeOfParallelism = options.Value.ProvisioningConcurrency,
                CancellationToken = cancellationToken,
            },
            async (room, token) =>
            {
                if (!await api.AddChatParticipantAsync(serviceSid, room.Sid, identity, token).ConfigureAwait(false))
                {
                    gone[room.Sid] = true;
                    Log.RoomGoneDuringProvisioning(logger, room.Sid, identity);
                }
            }).ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested();
        Log.Provisioned(logger, identity, rooms.Count, missing.Count - gone.Count, newUser);
        return [.. rooms.Where(room => !gone.ContainsKey(room.Sid)).Select(room => room.ToRoom())];
    }

    public async Task<IReadOnlyList<ChatRoom>> EnsureUserAsync(string identity, CancellationToken cancellationToken = default)
    {
        identity = ChatIdentity.Canonicalize(identity, nameof(identity));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);
        var newUser = await api.CreateUserAsync(serviceSid, identity, roleSid, cancellationToken).ConfigureAwait(false);

        // A user created just now belongs to no room: no need to ask.
        var rooms = new List<ChatRoom>();
        if (!newUser)
        {
            await foreach (var membership in api.ListUserConversationsAsync(serviceSid, identity, cancellationToken).ConfigureAwait(false))
            {
                if (membership.IsRoom)
                {
                    rooms.Add(membership.ToRoom());
                }
            }
        }

        Log.UserEnsured(logger, identity, rooms.Count, newUser);
        return rooms;
    }

    public async Task<ChatRoom> JoinRoomAsync(string identity, string roomName, CancellationToken cancellationToken = default)
    {
        identity = ChatIdentity.Canonicalize(identity, nameof(identity));
        Arguments.CheckRoomName(roomName, nameof(roomName));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);

        // Twilio would create a missing user with the service's default role when adding it; create it with ours first.
        // The user and the room do not depend on each other: fetch them together.
        var userTask = api.CreateUserAsync(serviceSid, identity, roleSid, cancellationToken);
        var roomTask = api.FetchRoomAsync(serviceSid, roomName, cancellationToken);
        await Task.WhenAll(userTask, roomTask).WaitAsync(cancellationToken).ConfigureAwait(false);
        var room = await roomTask.ConfigureAwait(false);

        if (!await api.AddChatParticipantAsync(serviceSid, room.Sid, identity, cancellationToken).ConfigureAwait(false))
        {
            throw new ChatRoomsException(ChatRoomsErrorKind.NotFound, ConversationsApi.RoomNotFound(roomName), 404);
        }

        Log.JoinedRoom(logger, identity, room.RoomName, room.Sid);
        return room.ToRoom();
    }

    public async Task LeaveRoomAsync(string identity, string roomName, CancellationToken cancellationToken = default)
    {
        identity = ChatIdentity.Canonicalize(identity, nameof(identity));
        Arguments.CheckRoomName(roomName, nameof(roomName));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await api.FetchRoomAsync(serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        try
        {
            // Twilio fetches a participant by identity but deletes it only by SID.
            var participant = await api.FetchParticipantAsync(serviceSid, room.Sid, identity, cancellationToken).ConfigureAwait(false);
            await api.DeleteParticipantAsync(serviceSid, room.Sid, participant.Sid, cancellationToken).ConfigureAwait(false);
            Log.LeftRoom(logger, identity, room.RoomName, room.Sid);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            // Not a member (or it left, or the room went, in the meantime): leaving is done either way.
            Log.NotAMember(logger, identity, room.Sid);
        }
    }

    public async Task<ParticipantRoleSetup> EnsureParticipantRoleAsync(CancellationToken cancellationToken = default)
    {
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleName = lookups.RoleName;
        var role = await lookups.FindRoleAsync(serviceSid, cancellationToken).ConfigureAwait(false);
        var permissions = ParticipantPermissions(options.Value);
        string roleSid;
        RoleSetupChange change;
        if (role is null)
        {
            lookups.SetRoleSid(null);
            roleSid = await api.CreateServiceRoleAsync(serviceSid, roleName, permissions, cancellationToken).ConfigureAwait(false);
            change = RoleSetupChange.Created;
        }
        else if (!role.Permissions.ToHashSet(StringComparer.Ordinal).SetEquals(permissions))
        {
            await api.UpdateRolePermissionsAsync(serviceSid, role.Sid, permissions, cancellationToken).ConfigureAwait(false);
            roleSid = role.Sid;
            change = RoleSetupChange.PermissionsUpdated;
        }
        else
        {
            roleSid = role.Sid;
            change = RoleSetupChange.None;
        }

        lookups.SetRoleSid(roleSid);
        Log.RoleEnsured(logger, roleName, roleSid, change.ToString());
        await EnsureMembersMayReactAsync(serviceSid, cancellationToken).ConfigureAwait(false);
        return new ParticipantRoleSetup(serviceSid, roleName, roleSid, change);
    }

    /// <summary>Adds <see cref="ReactToAnyMessage"/> to the service's default conversation role when it lacks it; removes nothing.</summary>
    private async Task EnsureMembersMayReactAsync(string serviceSid, CancellationToken cancellationToken)
    {
        var roleSid = await api.GetDefaultConversationRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);
        await foreach (var role in api.ListRolesAsync(serviceSid, cancellationToken).ConfigureAwait(false))
        {
            if (role.Sid == roleSid && !role.Permissions.Contains(ReactToAnyMessage, StringComparer.Ordinal))
            {
                await api.UpdateRolePermissionsAsync(serviceSid, role.Sid, [.. role.Permissions, ReactToAnyMessage], cancellationToken).ConfigureAwait(false);
                Log.ReactionsGranted(logger, role.Sid);
            }
        }
    }

    private async Task<HashSet<string>> ReadMembershipsAsync(string serviceSid, string identity, CancellationToken cancellationToken)
    {
        var sids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var membership in api.ListUserConversationsAsync(serviceSid, identity, cancellationToken).ConfigureAwait(false))
        {
            sids.Add(membership.Sid);
        }

        return sids;
    }
}
