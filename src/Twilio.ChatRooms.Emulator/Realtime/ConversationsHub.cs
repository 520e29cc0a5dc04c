using Microsoft.AspNetCore.SignalR;
using Twilio.ChatRooms.Emulator.Domain;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>The browser-facing hub of docs/realtime-protocol.md. Every write goes through <see cref="ConversationService"/>.</summary>
internal sealed class ConversationsHub(ConversationService service, HubEventDispatcher dispatcher, HubTokenValidator validator) : Hub
{
    private const int NotMember = 50430;
    private const int NotAllowed = 50107;

    private string Identity => Context.UserIdentifier ?? throw new HubException("Twilio error 20401: Unauthorized");

    private string ServiceSid => Context.User?.FindFirst(HubTokenValidator.ServiceSidClaim)?.Value
        ?? throw new HubException("Twilio error 20401: Unauthorized");

    public override Task OnConnectedAsync()
    {
        var expires = Context.GetHttpContext() is { } http
            && http.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc is { } e
            ? e
            : DateTimeOffset.MaxValue;
        dispatcher.Connected(Context, Identity, expires);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        dispatcher.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public IReadOnlyList<HubConversation> GetSubscribedConversations() => Guard(() =>
    {
        return service.ConversationsOf(ServiceSid, Identity).Select(HubModels.Conversation).ToList();
    });

    public HubMessagePage GetMessages(string conversationSid, int pageSize, int? anchor) => Guard(() =>
    {
        Member(conversationSid);
        if (pageSize is < 1 or > 100)
        {
            throw Error(ConversationService.InvalidParameter, "pageSize must be between 1 and 100");
        }

        var before = service.ListMessages(ServiceSid, conversationSid).Where(m => anchor is null || m.Index < anchor).ToList();
        var items = before.Skip(Math.Max(0, before.Count - pageSize)).Select(HubModels.Message).ToList();
        return new HubMessagePage(items, before.Count > pageSize);
    });

    public int SendMessage(string conversationSid, string body) => Guard(() =>
    {
        var participant = Member(conversationSid);
        Require(participant, "sendMessage");
        if (string.IsNullOrEmpty(body))
        {
            throw Error(ConversationService.InvalidParameter, "A message body is required");
        }

        dispatcher.StopTyping(participant);
        return service.CreateMessage(ServiceSid, participant.ConversationSid, Identity, body, null).Index;
    });

    public HubMessage UpdateMessage(string conversationSid, int index, string body) => Guard(() =>
    {
        var participant = Member(conversationSid);
        var message = service.FetchMessage(ServiceSid, participant.ConversationSid, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Require(participant, message.Author == Identity ? "editOwnMessage" : "editAnyMessage");
        if (string.IsNullOrEmpty(body))
        {
            throw Error(ConversationService.InvalidParameter, "A message body is required");
        }

        var updated = service.UpdateMessage(ServiceSid, participant.ConversationSid, message.Sid, null, body, null);
        return HubModels.Message(updated);
    });

    public void RemoveMessage(string conversationSid, int index) => Guard(() =>
    {
        var participant = Member(conversationSid);
        var message = service.FetchMessage(ServiceSid, participant.ConversationSid, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Require(participant, message.Author == Identity ? "deleteOwnMessage" : "deleteAnyMessage");
        service.DeleteMessage(ServiceSid, participant.ConversationSid, message.Sid);
        return true;
    });

    public void Typing(string conversationSid) => Guard(() =>
    {
        dispatcher.Typing(Member(conversationSid));
        return true;
    });

    public IReadOnlyList<HubParticipant> GetParticipants(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        return service.ListParticipants(ServiceSid, participant.ConversationSid)
            .Select(p => HubModels.Participant(p, dispatcher.IsOnline(p.Identity)))
            .ToList();
    });

    public async Task UpdateToken(string token)
    {
        var validated = await validator.ValidateAsync(token).ConfigureAwait(false);
        if (validated is null || validated.Identity != Identity || validated.ServiceSid != ServiceSid)
        {
            throw new HubException("Twilio error 20101: Invalid Access Token");
        }

        dispatcher.Renewed(Context.ConnectionId, validated.Expires);
    }

    public IReadOnlyList<HubConversation> GetJoinableConversations() => Guard(() =>
        service.ListConversations(ServiceSid).Where(c => c.UniqueName is not null).Select(HubModels.Conversation).ToList());

    public HubConversation Join(string conversationSid) => Guard(() =>
    {
        var serviceSid = ServiceSid;
        var user = service.FindUser(serviceSid, Identity);
        var roleSid = user?.RoleSid ?? service.GetService(serviceSid).DefaultServiceRoleSid;
        if (!service.FetchRole(serviceSid, roleSid).Permissions.Contains("joinConversation"))
        {
            throw Error(NotAllowed, "User not authorized to perform the requested operation");
        }

        var conversation = service.FetchConversation(serviceSid, conversationSid);
        if (service.FindParticipant(serviceSid, conversation.Sid, Identity) is null)
        {
            service.CreateParticipant(serviceSid, conversation.Sid, Identity, null, null, null, null);
        }

        return HubModels.Conversation(conversation);
    });

    public void Leave(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        Require(participant, "leaveConversation");
        service.DeleteParticipant(ServiceSid, participant.ConversationSid, participant.Sid);
        return true;
    });

    public int? SetAllMessagesRead(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        var last = service.ListMessages(ServiceSid, participant.ConversationSid).Select(m => (int?)m.Index).LastOrDefault();
        if (last is null)
        {
            return participant.LastReadMessageIndex;
        }

        return service.UpdateParticipant(ServiceSid, participant.ConversationSid, participant.Sid, null, null, last).LastReadMessageIndex;
    });

    public int? GetUnreadMessagesCount(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        return participant.LastReadMessageIndex is { } read
            ? service.ListMessages(ServiceSid, participant.ConversationSid).Count(m => m.Index > read)
            : (int?)null;
    });

    private static HubException Error(int code, string text) => new($"Twilio error {code}: {text}");

    private static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (EmulatorException e)
        {
            throw Error(e.Code, e.Message);
        }
    }

    private ParticipantRecord Member(string conversationSid)
    {
        if (string.IsNullOrEmpty(conversationSid))
        {
            throw Error(ConversationService.InvalidParameter, "A conversation SID is required");
        }

        return service.FindParticipant(ServiceSid, conversationSid, Identity)
            ?? throw Error(NotMember, "Participant is not a member of the conversation");
    }

    private void Require(ParticipantRecord participant, string permission)
    {
        var serviceSid = ServiceSid;
        var roleSid = participant.RoleSid ?? service.GetService(serviceSid).DefaultConversationRoleSid;
        if (!service.FetchRole(serviceSid, roleSid).Permissions.Contains(permission))
        {
            throw Error(NotAllowed, "User not authorized to perform the requested operation");
        }
    }
}
