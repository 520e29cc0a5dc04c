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
        try
        {
            var conversation = await rest.SendAsync(TwilioRest.Get, RoomPath(serviceSid, name), null, cancellationToken).ConfigureAwait(false);
            return ToRoom(conversation);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage($"Chat room '{name}' not found.");
        }
    }

    public async Task<ChatRoom> CreateRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        Arguments.Check(name, "room name", nameof(name));
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
        try
        {
            await rest.SendAsync(TwilioRest.Delete, RoomPath(serviceSid, name), null, cancellationToken).ConfigureAwait(false);
            Log.RoomDeleted(logger, name);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage($"Chat room '{name}' not found.");
        }
    }

    /// <summary>Every room of the service, page by page; conversations without a unique name are not rooms.</summary>
    internal static async IAsyncEnumerable<ChatRoom> ListRoomsAsync(
        TwilioRest rest,
        string serviceSid,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var conversation in rest.ReadAllAsync($"/v1/Services/{serviceSid}/Conversations", "conversations", cancellationToken).ConfigureAwait(false))
        {
            if (!string.IsNullOrEmpty(conversation.String("unique_name")))
            {
                yield return ToRoom(conversation);
            }
        }
    }

    private static string RoomPath(string serviceSid, string name)
        => $"/v1/Services/{serviceSid}/Conversations/{Uri.EscapeDataString(name)}";

    private static ChatRoom ToRoom(JsonElement conversation)
    {
        var sid = conversation.RequiredString("sid");
        var name = conversation.String("unique_name") is { Length: > 0 } unique ? unique
            : conversation.String("friendly_name") is { Length: > 0 } friendly ? friendly
            : sid;
        return new ChatRoom(name, sid);
    }
}
