using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.ConversationsRest;

namespace Twilio.ChatRooms;

/// <summary>Rooms are conversations of the service whose unique name (and friendly name) is the room's name.</summary>
internal sealed class ChatRoomAdmin(ConversationsApi api, ChatRoomsLookups lookups, ILogger<ChatRoomAdmin> logger) : IChatRoomAdmin
{
    public async IAsyncEnumerable<ChatRoom> ListRoomsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var room in api.ListRoomsAsync(serviceSid, cancellationToken).ConfigureAwait(false))
        {
            yield return room.ToRoom();
        }
    }

    public async Task<ChatRoom> GetRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(name, nameof(name));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        return (await api.FetchRoomAsync(serviceSid, name, cancellationToken).ConfigureAwait(false)).ToRoom();
    }

    public async Task<ChatRoom> CreateRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(name, nameof(name));
        if (name.StartsWith(ChatRoomsAttributes.PrivateUniqueNamePrefix, StringComparison.Ordinal))
        {
            // A room could otherwise take the unique name of a pair's private conversation before it is started.
            throw new ArgumentException(
                $"The room name must not start with '{ChatRoomsAttributes.PrivateUniqueNamePrefix}': that prefix is reserved for private conversations.",
                nameof(name));
        }

        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var room = (await api.CreateConversationAsync(serviceSid, name, name, null, cancellationToken).ConfigureAwait(false)).ToRoom();
            Log.RoomCreated(logger, room.Name, room.Sid);
            return room;
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.AlreadyExists)
        {
            throw e.WithMessage($"Chat room '{name}' already exists.");
        }
    }

    public async Task DeleteRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(name, nameof(name));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);

        // Fetched first so that a private conversation's name (or SID) is never deleted as a room.
        var room = await api.FetchRoomAsync(serviceSid, name, cancellationToken).ConfigureAwait(false);
        try
        {
            await api.DeleteConversationAsync(serviceSid, room.Sid, cancellationToken).ConfigureAwait(false);
            Log.RoomDeleted(logger, name);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(ConversationsApi.RoomNotFound(name));
        }
    }

    public async IAsyncEnumerable<ChatRoomParticipant> ListParticipantsAsync(
        string roomName,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(roomName, nameof(roomName));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await api.FetchRoomAsync(serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        await foreach (var participant in api.ListParticipantsAsync(serviceSid, room.Sid, cancellationToken).ConfigureAwait(false))
        {
            yield return participant.ToParticipant();
        }
    }

    public async Task<ChatRoomParticipant> AddSmsParticipantAsync(
        string roomName,
        string phoneNumber,
        string proxyNumber,
        CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(roomName, nameof(roomName));
        Arguments.CheckPhoneNumber(phoneNumber, "phone number", nameof(phoneNumber));
        Arguments.CheckPhoneNumber(proxyNumber, "proxy number", nameof(proxyNumber));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await api.FetchRoomAsync(serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        try
        {
            var added = await api.AddSmsParticipantAsync(serviceSid, room.Sid, phoneNumber, proxyNumber, cancellationToken).ConfigureAwait(false);
            Log.SmsParticipantAdded(logger, added.Sid, room.RoomName, room.Sid);
            return added.ToParticipant();
        }
        catch (ChatRoomsException e) when (e.Status == 409)
        {
            // Twilio allows a number and proxy number pair in one conversation of the service only (50416).
            throw new ChatRoomsException(
                ChatRoomsErrorKind.AlreadyExists,
                $"The phone number {phoneNumber} is already a participant through the proxy number {proxyNumber}, in chat room '{roomName}' "
                + "or another conversation; Twilio allows each number and proxy number pair in one conversation only.",
                e.Status,
                e.TwilioCode,
                e.InnerException ?? e);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(ConversationsApi.RoomNotFound(roomName)); // deleted since it was fetched
        }
    }

    public async Task RemoveSmsParticipantAsync(string roomName, string phoneNumber, CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(roomName, nameof(roomName));
        Arguments.CheckPhoneNumber(phoneNumber, "phone number", nameof(phoneNumber));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await api.FetchRoomAsync(serviceSid, roomName, cancellationToken).ConfigureAwait(false);

        // Twilio finds participants by SID or identity only: look the number up in the room's participants.
        var sids = new List<string>();
        await foreach (var participant in api.ListParticipantsAsync(serviceSid, room.Sid, cancellationToken).ConfigureAwait(false))
        {
            if (participant is { Address: { } number } && string.Equals(number, phoneNumber, StringComparison.Ordinal))
            {
                sids.Add(participant.Sid);
            }
        }

        var notFound = $"The phone number {phoneNumber} is not a participant of chat room '{roomName}'.";
        if (sids.Count == 0)
        {
            throw new ChatRoomsException(ChatRoomsErrorKind.NotFound, notFound);
        }

        try
        {
            // One number can be in a room through several proxy numbers: remove them all.
            foreach (var sid in sids)
            {
                await api.DeleteParticipantAsync(serviceSid, room.Sid, sid, cancellationToken).ConfigureAwait(false);
                Log.SmsParticipantRemoved(logger, sid, room.RoomName, room.Sid);
            }
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(notFound); // removed (or the room deleted) meanwhile
        }
    }
}
