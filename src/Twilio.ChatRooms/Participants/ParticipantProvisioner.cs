using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms;

/// <summary>Creates the user and adds it to the rooms it is missing from, concurrently and idempotently.</summary>
internal sealed class ParticipantProvisioner(
    TwilioRest rest,
    ChatRoomsLookups lookups,
    IOptions<TwilioChatRoomsOptions> options,
    ILogger<ParticipantProvisioner> logger) : IParticipantProvisioner
{
    /// <summary>The participant role's permissions: join rooms, edit oneself; nothing else.</summary>
    internal static readonly string[] ParticipantPermissions = ["joinConversation", "editOwnUserInfo"];

    public async Task<IReadOnlyList<ChatRoom>> ProvisionAsync(string identity, CancellationToken cancellationToken = default)
    {
        Arguments.Check(identity, "identity", nameof(identity));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);

        // The user and the room list do not depend on each other: fetch them together.
        var userTask = ChatUsers.CreateAsync(rest, serviceSid, roleSid, identity, cancellationToken);
        var roomsTask = ChatRoomAdmin.ListRoomsAsync(rest, serviceSid, cancellationToken).ToListAsync(cancellationToken).AsTask();
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
                if (!await ChatUsers.AddParticipantAsync(rest, serviceSid, room.Sid, identity, token).ConfigureAwait(false))
                {
                    gone[room.Sid] = true;
                    Log.RoomGoneDuringProvisioning(logger, room.Sid, identity);
                }
            }).ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested();
        Log.Provisioned(logger, identity, rooms.Count, missing.Count - gone.Count, newUser);
        return gone.IsEmpty ? rooms : [.. rooms.Where(room => !gone.ContainsKey(room.Sid))];
    }

    public async Task<IReadOnlyList<ChatRoom>> EnsureUserAsync(string identity, CancellationToken cancellationToken = default)
    {
        Arguments.Check(identity, "identity", nameof(identity));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);
        var newUser = await ChatUsers.CreateAsync(rest, serviceSid, roleSid, identity, cancellationToken).ConfigureAwait(false);

        // A user created just now belongs to no room: no need to ask.
        var rooms = new List<ChatRoom>();
        if (!newUser)
        {
            await foreach (var membership in rest.ReadAllAsync(UserConversationsPath(serviceSid, identity), "conversations", TwilioRest.SmallPageSize, cancellationToken)
                .ConfigureAwait(false))
            {
                if (ChatRoomAdmin.IsRoom(membership))
                {
                    rooms.Add(ChatRoomAdmin.ToRoom(membership, "conversation_sid"));
                }
            }
        }

        Log.UserEnsured(logger, identity, rooms.Count, newUser);
        return rooms;
    }

    public async Task<ChatRoom> JoinRoomAsync(string identity, string roomName, CancellationToken cancellationToken = default)
    {
        Arguments.Check(identity, "identity", nameof(identity));
        Arguments.Check(roomName, "room name", nameof(roomName));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);

        // Twilio would create a missing user with the service's default role when adding it; create it with ours first.
        // The user and the room do not depend on each other: fetch them together.
        var userTask = ChatUsers.CreateAsync(rest, serviceSid, roleSid, identity, cancellationToken);
        var roomTask = ChatRoomAdmin.FetchRoomAsync(rest, serviceSid, roomName, cancellationToken);
        await Task.WhenAll(userTask, roomTask).WaitAsync(cancellationToken).ConfigureAwait(false);
        var room = await roomTask.ConfigureAwait(false);

        if (!await ChatUsers.AddParticipantAsync(rest, serviceSid, room.Sid, identity, cancellationToken).ConfigureAwait(false))
        {
            throw new ChatRoomsException(ChatRoomsErrorKind.NotFound, ChatRoomAdmin.RoomNotFound(roomName), 404);
        }

        Log.JoinedRoom(logger, identity, room.Name, room.Sid);
        return room;
    }

    public async Task LeaveRoomAsync(string identity, string roomName, CancellationToken cancellationToken = default)
    {
        Arguments.Check(identity, "identity", nameof(identity));
        Arguments.Check(roomName, "room name", nameof(roomName));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await ChatRoomAdmin.FetchRoomAsync(rest, serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        var participants = ChatRoomAdmin.ParticipantsPath(serviceSid, room.Sid);
        try
        {
            // Twilio fetches a participant by identity but deletes it only by SID.
            var participant = await rest.SendAsync(TwilioRest.Get, $"{participants}/{Uri.EscapeDataString(identity)}", null, cancellationToken)
                .ConfigureAwait(false);
            await rest.SendAsync(TwilioRest.Delete, $"{participants}/{participant.RequiredString("sid")}", null, cancellationToken)
                .ConfigureAwait(false);
            Log.LeftRoom(logger, identity, room.Name, room.Sid);
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
        var permissions = ParticipantPermissions.Select(p => new KeyValuePair<string, string>("Permission", p)).ToList();
        var role = await lookups.FindRoleAsync(serviceSid, cancellationToken).ConfigureAwait(false);
        string roleSid;
        RoleSetupChange change;
        if (role is null)
        {
            lookups.SetRoleSid(null);
            var created = await rest.SendAsync(
                TwilioRest.Post,
                $"/v1/Services/{serviceSid}/Roles",
                [new("FriendlyName", roleName), new("Type", "service"), .. permissions],
                cancellationToken).ConfigureAwait(false);
            roleSid = created.RequiredString("sid");
            change = RoleSetupChange.Created;
        }
        else if (!role.Permissions.ToHashSet(StringComparer.Ordinal).SetEquals(ParticipantPermissions))
        {
            await rest.SendAsync(TwilioRest.Post, $"/v1/Services/{serviceSid}/Roles/{role.Sid}", permissions, cancellationToken)
                .ConfigureAwait(false);
            roleSid = role.Sid;
            change = RoleSetupChange.PermissionsUpdated;
        }
        else
        {
            roleSid = role.Sid;
            change = RoleSetupChange.None;
        }

        lookups.SetRoleSid(roleSid);
        Log.RoleEnsured(logger, roleName, roleSid, change);
        return new ParticipantRoleSetup(serviceSid, roleName, roleSid, change);
    }

    private async Task<HashSet<string>> ReadMembershipsAsync(string serviceSid, string identity, CancellationToken cancellationToken)
    {
        var sids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var membership in rest.ReadAllAsync(UserConversationsPath(serviceSid, identity), "conversations", TwilioRest.SmallPageSize, cancellationToken)
            .ConfigureAwait(false))
        {
            if (membership.String("conversation_sid") is { } sid)
            {
                sids.Add(sid);
            }
        }

        return sids;
    }

    private static string UserConversationsPath(string serviceSid, string identity)
        => $"/v1/Services/{serviceSid}/Users/{Uri.EscapeDataString(identity)}/Conversations";
}
