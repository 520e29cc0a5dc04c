using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms;

/// <summary>Rooms are conversations of the service whose unique name (and friendly name) is the room's name.</summary>
internal sealed class ChatRoomAdmin(TwilioRest rest, ChatRoomsLookups lookups, ILogger<ChatRoomAdmin> logger) : IChatRoomAdmin
{
    public async IAsyncEnumerable<ChatRoom> ListRoomsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var room in ListRoomsAsync(rest, serviceSid, cancellationToken).ConfigureAwait(false))
        {
            yield return room;
        }
    }

    public async Task<ChatRoom> GetRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        Arguments.Check(name, "room name", nameof(name));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        return await FetchRoomAsync(rest, serviceSid, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChatRoom> CreateRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        Arguments.Check(name, "room name", nameof(name));
        if (name.StartsWith(PrivateConversations.UniqueNamePrefix, StringComparison.Ordinal))
        {
            // A room could otherwise take the unique name of a pair's private conversation before it is started.
            throw new ArgumentException(
                $"The room name must not start with '{PrivateConversations.UniqueNamePrefix}': that prefix is reserved for private conversations.",
                nameof(name));
        }

        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var conversation = await rest.SendAsync(
                TwilioRest.Post,
                $"/v1/Services/{serviceSid}/Conversations",
                [new("UniqueName", name), new("FriendlyName", name)],
                cancellationToken).ConfigureAwait(false);
            var room = ToRoom(conversation);
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
        Arguments.Check(name, "room name", nameof(name));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);

        // Fetched first so that a private conversation's name (or SID) is never deleted as a room.
        var room = await FetchRoomAsync(rest, serviceSid, name, cancellationToken).ConfigureAwait(false);
        try
        {
            await rest.SendAsync(TwilioRest.Delete, $"/v1/Services/{serviceSid}/Conversations/{room.Sid}", null, cancellationToken)
                .ConfigureAwait(false);
            Log.RoomDeleted(logger, name);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(RoomNotFound(name));
        }
    }

    public async IAsyncEnumerable<ChatRoomParticipant> ListParticipantsAsync(
        string roomName,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Arguments.Check(roomName, "room name", nameof(roomName));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await FetchRoomAsync(rest, serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        await foreach (var participant in rest.ReadAllAsync(ParticipantsPath(serviceSid, room.Sid), "participants", TwilioRest.PageSize, cancellationToken)
            .ConfigureAwait(false))
        {
            yield return ToParticipant(participant);
        }
    }

    public async Task<ChatRoomParticipant> AddSmsParticipantAsync(
        string roomName,
        string phoneNumber,
        string proxyNumber,
        CancellationToken cancellationToken = default)
    {
        Arguments.Check(roomName, "room name", nameof(roomName));
        Arguments.CheckPhoneNumber(phoneNumber, "phone number", nameof(phoneNumber));
        Arguments.CheckPhoneNumber(proxyNumber, "proxy number", nameof(proxyNumber));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await FetchRoomAsync(rest, serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        try
        {
            var participant = await rest.SendAsync(
                TwilioRest.Post,
                ParticipantsPath(serviceSid, room.Sid),
                [new("MessagingBinding.Address", phoneNumber), new("MessagingBinding.ProxyAddress", proxyNumber)],
                cancellationToken).ConfigureAwait(false);
            var added = ToParticipant(participant);
            Log.SmsParticipantAdded(logger, added.Sid, room.Name, room.Sid);
            return added;
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
            throw e.WithMessage(RoomNotFound(roomName)); // deleted since it was fetched
        }
    }

    public async Task RemoveSmsParticipantAsync(string roomName, string phoneNumber, CancellationToken cancellationToken = default)
    {
        Arguments.Check(roomName, "room name", nameof(roomName));
        Arguments.CheckPhoneNumber(phoneNumber, "phone number", nameof(phoneNumber));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await FetchRoomAsync(rest, serviceSid, roomName, cancellationToken).ConfigureAwait(false);

        // Twilio finds participants by SID or identity only: look the number up in the room's participants.
        var sids = new List<string>();
        await foreach (var participant in rest.ReadAllAsync(ParticipantsPath(serviceSid, room.Sid), "participants", TwilioRest.PageSize, cancellationToken)
            .ConfigureAwait(false))
        {
            if (ToParticipant(participant) is { PhoneNumber: { } number } found && string.Equals(number, phoneNumber, StringComparison.Ordinal))
            {
                sids.Add(found.Sid);
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
                await rest.SendAsync(TwilioRest.Delete, $"{ParticipantsPath(serviceSid, room.Sid)}/{sid}", null, cancellationToken)
                    .ConfigureAwait(false);
                Log.SmsParticipantRemoved(logger, sid, room.Name, room.Sid);
            }
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(notFound); // removed (or the room deleted) meanwhile
        }
    }

    /// <summary>Every room of the service, page by page; conversations without a unique name, and private ones, are not rooms.</summary>
    internal static async IAsyncEnumerable<ChatRoom> ListRoomsAsync(
        TwilioRest rest,
        string serviceSid,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"/v1/Services/{serviceSid}/Conversations";
        await foreach (var conversation in rest.ReadAllAsync(path, "conversations", TwilioRest.PageSize, cancellationToken).ConfigureAwait(false))
        {
            if (IsRoom(conversation))
            {
                yield return ToRoom(conversation);
            }
        }
    }

    /// <summary>
    /// The room named <paramref name="name"/> (or with that SID); <see cref="ChatRoomsErrorKind.NotFound"/> naming the
    /// room when there is none, or when it is a private conversation.
    /// </summary>
    internal static async Task<ChatRoom> FetchRoomAsync(TwilioRest rest, string serviceSid, string name, CancellationToken cancellationToken)
    {
        JsonElement conversation;
        try
        {
            conversation = await rest.SendAsync(TwilioRest.Get, RoomPath(serviceSid, name), null, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(RoomNotFound(name));
        }

        // A private conversation answers to its unique name too; to room callers it does not exist.
        return PrivateConversations.IsPrivate(conversation)
            ? throw new ChatRoomsException(ChatRoomsErrorKind.NotFound, RoomNotFound(name), 404)
            : ToRoom(conversation);
    }

    /// <summary>Whether a conversation, or a user's conversation record, is a room: it has a unique name and is not private.</summary>
    internal static bool IsRoom(JsonElement conversation)
        => !string.IsNullOrEmpty(conversation.String("unique_name")) && !PrivateConversations.IsPrivate(conversation);

    /// <summary>The room of a conversation; <paramref name="sidName"/> is <c>conversation_sid</c> in a user's conversation record.</summary>
    internal static ChatRoom ToRoom(JsonElement conversation, string sidName = "sid")
    {
        var sid = conversation.RequiredString(sidName);
        var name = conversation.String("unique_name") is { Length: > 0 } unique ? unique
            : conversation.String("friendly_name") is { Length: > 0 } friendly ? friendly
            : sid;
        return new ChatRoom(name, sid);
    }

    private static ChatRoomParticipant ToParticipant(JsonElement participant)
    {
        var binding = participant.TryGetProperty("messaging_binding", out var b) ? b : default;
        return new ChatRoomParticipant(
            participant.RequiredString("sid"),
            participant.String("identity"),
            binding.String("address"),
            binding.String("proxy_address"));
    }

    /// <summary>A conversation's participants: the one path every participant request of the library uses.</summary>
    internal static string ParticipantsPath(string serviceSid, string conversationSid)
        => $"/v1/Services/{serviceSid}/Conversations/{conversationSid}/Participants";

    internal static string RoomNotFound(string name) => $"Chat room '{name}' not found.";

    private static string RoomPath(string serviceSid, string name)
        => $"/v1/Services/{serviceSid}/Conversations/{Uri.EscapeDataString(name)}";
}
