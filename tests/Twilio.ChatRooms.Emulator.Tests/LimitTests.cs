using Microsoft.Extensions.Logging.Abstractions;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>Twilio's count limits, with Twilio's error codes, checked on the service (a thousand adds over HTTP is slow).</summary>
public sealed class LimitTests
{
    private static ConversationService NewService() =>
        new(new InMemoryEmulatorStore(), TimeProvider.System, NullLogger<ConversationService>.Instance, EmulatorCredentials.Development.AccountSid);

    [Fact]
    public void CreateParticipant_BeyondAThousandInOneConversation_Is50417AndAddsNothing()
    {
        var service = NewService();
        var conversation = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);
        for (var i = 0; i < ConversationService.MaxParticipants; i++)
        {
            service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, $"user-{i}", null, null, null, null);
        }

        var act = () => service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, "one-too-many", null, null, null, null);

        act.Should().Throw<EmulatorException>().Where(e => e.Code == ConversationService.ParticipantLimitExceeded && e.Status == 400);
        service.ListParticipants(service.DefaultServiceSid, conversation.Sid).Should().HaveCount(ConversationService.MaxParticipants);
    }

    [Fact]
    public void CreateParticipant_BeyondFiftySmsParticipants_Is50422()
    {
        var service = NewService();
        var conversation = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);
        for (var i = 0; i < ConversationService.MaxNonChatParticipants; i++)
        {
            service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, null, null, null, $"+1555000{i:D4}", "+15550009999");
        }

        var act = () => service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, null, null, null, "+15550001111", "+15550009999");

        act.Should().Throw<EmulatorException>().Where(e => e.Code == ConversationService.NonChatParticipantLimitExceeded);
        service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, "chat-user", null, null, null, null)
            .Identity.Should().Be("chat-user", "the SMS limit does not stop chat participants");
    }

    [Fact]
    public void CreateParticipant_IdentityInAThousandConversations_Is50214()
    {
        var service = NewService();
        for (var i = 0; i < ConversationService.MaxConversationsPerIdentity; i++)
        {
            var conversation = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);
            service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, "busy", null, null, null, null);
        }

        var next = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);
        var act = () => service.CreateParticipant(service.DefaultServiceSid, next.Sid, "busy", null, null, null, null);

        act.Should().Throw<EmulatorException>().Where(e => e.Code == ConversationService.UserConversationLimitExceeded);
    }
}
