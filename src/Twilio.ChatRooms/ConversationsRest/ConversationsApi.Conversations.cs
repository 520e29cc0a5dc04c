using System.Runtime.CompilerServices;
using System.Text.Json;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.ConversationsRest;

/// <summary>Conversations, rooms (conversations with a unique name that are not private) and participants.</summary>
internal sealed partial class ConversationsApi
{
    /// <summary>"Chat room 'x' not found.": what every room method says of a name that is no room.</summary>
    public static string RoomNotFound(string name) => $"Chat room '{name}' not found.";

    /// <summary>Every conversation of the service that is a room, page by page.</summary>
    public async IAsyncEnumerable<ConversationRecord> ListRoomsAsync(string serviceSid, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = RestPath.Service(serviceSid, "Conversations");
        await foreach (var json in rest.ReadAllAsync(path, "conversations", TwilioRest.PageSize, cancellationToken).ConfigureAwait(false))
        {
            var conversation = ConversationRecord.From(json, "sid");
            if (conversation.IsRoom)
            {
                yield return conversation;
            }
        }
    }

    /// <summary>
    /// The room named <paramref name="name"/> (or with that SID); <see cref="ChatRoomsErrorKind.NotFound"/> naming the
    /// room when there is none, or when it is no room (a private conversation, a group, one without a unique name).
    /// </summary>
    public async Task<ConversationRecord> FetchRoomAsync(string serviceSid, string name, CancellationToken cancellationToken)
    {
        ConversationRecord conversation;
        try
        {
            conversation = await FetchConversationAsync(serviceSid, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage(RoomNotFound(name));
        }

        // A private conversation answers to its unique name too, and any conversation to its SID: to room callers only a
        // room exists, so nobody joins a private conversation or someone's group through the room endpoints.
        return !conversation.IsRoom
            ? throw new ChatRoomsException(ChatRoomsErrorKind.NotFound, RoomNotFound(name), 404)
            : conversation;
    }

    /// <summary>A conversation by SID or unique name; <see cref="ChatRoomsErrorKind.NotFound"/> when there is none.</summary>
    public async Task<ConversationRecord> FetchConversationAsync(string serviceSid, string sidOrUniqueName, CancellationToken cancellationToken)
    {
        var json = await rest.SendAsync(TwilioRest.Get, RestPath.Service(serviceSid, "Conversations", sidOrUniqueName), null, cancellationToken)
            .ConfigureAwait(false);
        return ConversationRecord.From(json, "sid");
    }

    /// <summary>
    /// Creates a conversation; <see cref="ChatRoomsErrorKind.AlreadyExists"/> (409, code 50353) when the unique name is
    /// taken.
    /// </summary>
    public async Task<ConversationRecord> CreateConversationAsync(
        string serviceSid,
        string uniqueName,
        string friendlyName,
        string? attributes,
        CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form = [new("UniqueName", uniqueName), new("FriendlyName", friendlyName)];
        if (attributes is not null)
        {
            form.Add(new("Attributes", attributes));
        }

        var json = await rest.SendAsync(TwilioRest.Post, RestPath.Service(serviceSid, "Conversations"), form, cancellationToken)
            .ConfigureAwait(false);
        return ConversationRecord.From(json, "sid");
    }

    /// <summary>Deletes a conversation and its messages.</summary>
    public Task DeleteConversationAsync(string serviceSid, string conversationSid, CancellationToken cancellationToken)
        => rest.SendAsync(TwilioRest.Delete, RestPath.Service(serviceSid, "Conversations", conversationSid), null, cancellationToken);

    /// <summary>A conversation's participants, chat users and SMS participants alike, page by page.</summary>
    public async IAsyncEnumerable<ParticipantRecord> ListParticipantsAsync(
        string serviceSid,
        string conversationSid,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var participant in rest.ReadAllAsync(ParticipantsPath(serviceSid, conversationSid), "participants", TwilioRest.PageSize, cancellationToken)
            .ConfigureAwait(false))
        {
            yield return ParticipantRecord.From(participant);
        }
    }

    /// <summary>Adds a chat participant; true when it is (or already was) a member, false when the conversation is gone.</summary>
    public async Task<bool> AddChatParticipantAsync(string serviceSid, string conversationSid, string identity, CancellationToken cancellationToken)
    {
        try
        {
            await rest.SendAsync(TwilioRest.Post, ParticipantsPath(serviceSid, conversationSid), [new("Identity", identity)], cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (ChatRoomsException e) when (e.Status == 409
            && e.TwilioCode is ChatRoomsErrors.ParticipantExists or ChatRoomsErrors.GroupParticipantExists)
        {
            return true;
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>Adds an SMS participant: <paramref name="address"/> texted from <paramref name="proxyAddress"/>.</summary>
    public async Task<ParticipantRecord> AddSmsParticipantAsync(
        string serviceSid,
        string conversationSid,
        string address,
        string proxyAddress,
        CancellationToken cancellationToken)
    {
        var json = await rest.SendAsync(
            TwilioRest.Post,
            ParticipantsPath(serviceSid, conversationSid),
            [new("MessagingBinding.Address", address), new("MessagingBinding.ProxyAddress", proxyAddress)],
            cancellationToken).ConfigureAwait(false);
        return ParticipantRecord.From(json);
    }

    /// <summary>A participant by identity or SID; <see cref="ChatRoomsErrorKind.NotFound"/> when it is not one.</summary>
    public async Task<ParticipantRecord> FetchParticipantAsync(
        string serviceSid,
        string conversationSid,
        string identityOrSid,
        CancellationToken cancellationToken)
    {
        JsonElement json = await rest.SendAsync(
            TwilioRest.Get,
            RestPath.Service(serviceSid, "Conversations", conversationSid, "Participants", identityOrSid),
            null,
            cancellationToken).ConfigureAwait(false);
        return ParticipantRecord.From(json);
    }

    /// <summary>Removes a participant by SID (Twilio deletes participants by SID only).</summary>
    public Task DeleteParticipantAsync(string serviceSid, string conversationSid, string participantSid, CancellationToken cancellationToken)
        => rest.SendAsync(
            TwilioRest.Delete,
            RestPath.Service(serviceSid, "Conversations", conversationSid, "Participants", participantSid),
            null,
            cancellationToken);

    private static string ParticipantsPath(string serviceSid, string conversationSid)
        => RestPath.Service(serviceSid, "Conversations", conversationSid, "Participants");
}
