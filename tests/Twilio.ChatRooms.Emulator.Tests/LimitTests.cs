using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>Twilio's count limits, with Twilio's error codes, checked on the service (a thousand adds over HTTP is slow).</summary>
public sealed class LimitTests
{
    private static InProcessRules NewService() => new();

    [Fact]
    public void CreateParticipant_BeyondAThousandInOneConversation_Is50417AndAddsNothing()
    {
        var service = NewService();
        var conversation = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);
        for (var i = 0; i < TwilioLimits.MaxParticipants; i++)
        {
            service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, $"user-{i}", null, null, null, null);
        }

        var act = () => service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, "one-too-many", null, null, null, null);

        act.Should().Throw<EmulatorException>().Where(e => e.Code == TwilioErrors.ParticipantLimitExceeded && e.Status == 400);
        service.Participants.List(service.DefaultServiceSid, conversation.Sid).Should().HaveCount(TwilioLimits.MaxParticipants);
    }

    [Fact]
    public void CreateParticipant_BeyondFiftySmsParticipants_Is50422()
    {
        var service = NewService();
        var conversation = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);
        for (var i = 0; i < TwilioLimits.MaxNonChatParticipants; i++)
        {
            service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, null, null, null, $"+1555000{i:D4}", "+15550009999");
        }

        var act = () => service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, null, null, null, "+15550001111", "+15550009999");

        act.Should().Throw<EmulatorException>().Where(e => e.Code == TwilioErrors.NonChatParticipantLimitExceeded);
        service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, "chat-user", null, null, null, null)
            .Identity.Should().Be("chat-user", "the SMS limit does not stop chat participants");
    }

    [Fact]
    public void CreateParticipant_IdentityInAThousandConversations_Is50214()
    {
        var service = NewService();
        for (var i = 0; i < TwilioLimits.MaxConversationsPerIdentity; i++)
        {
            var conversation = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);
            service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, "busy", null, null, null, null);
        }

        var next = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);
        var act = () => service.Participants.Create(Actor.Account, service.DefaultServiceSid, next.Sid, "busy", null, null, null, null);

        act.Should().Throw<EmulatorException>().Where(e => e.Code == TwilioErrors.UserConversationLimitExceeded);
    }
}
