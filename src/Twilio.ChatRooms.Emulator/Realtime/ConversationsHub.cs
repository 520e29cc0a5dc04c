using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Roles;
using Twilio.ChatRooms.Emulator.Resources.Users;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>The resource rules the hub calls, in one parameter.</summary>
internal sealed record HubRules(ConversationRules Conversations, ParticipantRules Participants, MessageRules Messages,
    RoleRules Roles, UserRules Users);

/// <summary>
/// The browser-facing hub of docs/realtime-protocol.md: a client-side face, so it checks membership and permissions,
/// then calls the same resource rules as REST.
/// </summary>
internal sealed class ConversationsHub(HubRules rules, HubEventDispatcher dispatcher, HubTokenValidator validator) : Hub
{
    private string Identity => Context.UserIdentifier ?? throw Refused(TwilioErrors.NotSignedIn());

    private string ServiceSid => Context.User?.FindFirst(HubTokenValidator.ServiceSidClaim)?.Value ?? throw Refused(TwilioErrors.NotSignedIn());

    public override Task OnConnectedAsync()
    {
        var expires = Context.GetHttpContext() is { } http
            && http.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc is { } e
            ? e
            : DateTimeOffset.MaxValue;
        dispatcher.Connected(Context, Identity, expires, rules.Participants.MembershipsOf(Identity));
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        var identity = Context.UserIdentifier;
        dispatcher.Disconnected(Context.ConnectionId, () => identity is null ? [] : rules.Participants.MembershipsOf(identity));
        return base.OnDisconnectedAsync(exception);
    }

    public IReadOnlyList<HubConversation> GetSubscribedConversations() => Guard(() =>
        rules.Participants.ConversationsOf(ServiceSid, Identity).Select(HubModels.Conversation).ToList());

    public HubMessagePage GetMessages(string conversationSid, int pageSize, int? anchor) => Guard(() =>
    {
        Member(conversationSid);
        if (pageSize is < 1 or > 100)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "pageSize must be between 1 and 100");
        }

        var before = rules.Messages.List(ServiceSid, conversationSid).Where(m => anchor is null || m.Index < anchor).ToList();
        var items = before.Skip(Math.Max(0, before.Count - pageSize)).Select(HubModels.Message).ToList();
        return new HubMessagePage(items, before.Count > pageSize);
    });

    public int SendMessage(string conversationSid, string body) => Guard(() =>
    {
        var participant = Member(conversationSid);
        Require(participant, TwilioPermissions.SendMessage);
        RequireBody(body);
        dispatcher.StopTyping(participant);
        return rules.Messages.Create(ServiceSid, participant.ConversationSid, Identity, body, null).Index;
    });

    public HubMessage UpdateMessage(string conversationSid, int index, string body) => Guard(() =>
    {
        var participant = Member(conversationSid);
        var message = rules.Messages.Fetch(ServiceSid, participant.ConversationSid, index.ToString(CultureInfo.InvariantCulture));
        Require(participant, TwilioPermissions.EditMessage(own: message.Author == Identity));
        RequireBody(body);
        return HubModels.Message(rules.Messages.Update(ServiceSid, participant.ConversationSid, message.Sid, null, body, null));
    });

    public void RemoveMessage(string conversationSid, int index) => Guard(() =>
    {
        var participant = Member(conversationSid);
        var message = rules.Messages.Fetch(ServiceSid, participant.ConversationSid, index.ToString(CultureInfo.InvariantCulture));
        Require(participant, TwilioPermissions.DeleteMessage(own: message.Author == Identity));
        rules.Messages.Delete(ServiceSid, participant.ConversationSid, message.Sid);
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
        return rules.Participants.List(ServiceSid, participant.ConversationSid)
            .Select(p => HubModels.Participant(p, dispatcher.IsOnline(p.Identity)))
            .ToList();
    });

    public async Task UpdateToken(string token)
    {
        var validated = await validator.ValidateAsync(token).ConfigureAwait(false);
        if (validated is null || validated.Identity != Identity || validated.ServiceSid != ServiceSid)
        {
            throw Refused(TwilioErrors.InvalidToken());
        }

        dispatcher.Renewed(Context.ConnectionId, validated.Expires);
    }

    public IReadOnlyList<HubConversation> GetJoinableConversations() => Guard(() =>
        rules.Conversations.List(ServiceSid).Where(PrivateConversations.IsOpenToNonParticipants).Select(HubModels.Conversation).ToList());

    public HubConversation Join(string conversationSid) => Guard(() =>
    {
        var serviceSid = ServiceSid;
        var roleSid = rules.Users.Find(serviceSid, Identity)?.RoleSid;
        if (!rules.Roles.Grants(serviceSid, roleSid, TwilioPermissions.ServiceType, TwilioPermissions.JoinConversation))
        {
            throw TwilioErrors.NotAllowed();
        }

        var conversation = rules.Conversations.Fetch(serviceSid, conversationSid);
        if (rules.Participants.Find(serviceSid, conversation.Sid, Identity) is null)
        {
            // A private conversation does not exist for those outside it: the same answer as an unknown SID.
            if (!PrivateConversations.IsOpenToNonParticipants(conversation))
            {
                throw TwilioErrors.NotFound($"/Services/{serviceSid}/Conversations/{conversationSid}");
            }

            rules.Participants.Create(serviceSid, conversation.Sid, Identity, null, null, null, null);
        }

        return HubModels.Conversation(conversation);
    });

    public void Leave(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        Require(participant, TwilioPermissions.LeaveConversation);
        rules.Participants.Delete(ServiceSid, participant.ConversationSid, participant.Sid);
        return true;
    });

    public int? SetAllMessagesRead(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        var last = rules.Messages.List(ServiceSid, participant.ConversationSid).Select(m => (int?)m.Index).LastOrDefault();
        return last is null
            ? participant.LastReadMessageIndex
            : rules.Participants.Update(ServiceSid, participant.ConversationSid, participant.Sid, null, null, last).LastReadMessageIndex;
    });

    public int? GetUnreadMessagesCount(string conversationSid) => Guard(() =>
    {
        var participant = Member(conversationSid);
        return participant.LastReadMessageIndex is { } read
            ? rules.Messages.List(ServiceSid, participant.ConversationSid).Count(m => m.Index > read)
            : (int?)null;
    });

    /// <summary>A Twilio error as the hub's clients read it: <c>Twilio error {code}: {text}</c>.</summary>
    private static HubException Refused(EmulatorException e) => new($"Twilio error {e.Code}: {e.Message}");

    private static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (EmulatorException e)
        {
            throw Refused(e);
        }
    }

    private static void RequireBody(string body)
    {
        if (string.IsNullOrEmpty(body))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "A message body is required");
        }
    }

    private ParticipantRecord Member(string conversationSid)
    {
        if (string.IsNullOrEmpty(conversationSid))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "A conversation SID is required");
        }

        return rules.Participants.Find(ServiceSid, conversationSid, Identity) ?? throw TwilioErrors.NotMember();
    }

    private void Require(ParticipantRecord participant, string permission)
    {
        if (!rules.Roles.Grants(ServiceSid, participant.RoleSid, TwilioPermissions.ConversationType, permission))
        {
            throw TwilioErrors.NotAllowed();
        }
    }
}
