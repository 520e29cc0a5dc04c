using Microsoft.Extensions.Logging.Abstractions;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>The service against a store that widens every gap between store calls, so a check-then-act race shows.</summary>
public sealed class ConversationServiceTests
{
    private static ConversationService NewService() =>
        new(new SlowStore(new InMemoryEmulatorStore()), TimeProvider.System, NullLogger<ConversationService>.Instance, EmulatorCredentials.Development.AccountSid);

    [Fact]
    public void UpdateMessage_InTheSecondItWasSent_IsStillDatedAfterIt()
    {
        var service = new ConversationService(new InMemoryEmulatorStore(), new FrozenTime(new DateTimeOffset(2026, 11, 25, 8, 0, 0, 500, TimeSpan.Zero)),
            NullLogger<ConversationService>.Instance, EmulatorCredentials.Development.AccountSid);
        var conversation = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);
        var sent = service.CreateMessage(service.DefaultServiceSid, conversation.Sid, "alice", "tpyo", null);

        var edited = service.UpdateMessage(service.DefaultServiceSid, conversation.Sid, sent.Sid, null, "typo", null);

        edited.DateUpdated.Should().BeAfter(sent.DateCreated, "clients show 'edited' from dateUpdated > dateCreated");
        edited.DateCreated.Should().Be(sent.DateCreated);
    }

    private sealed class FrozenTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task ParallelCreatesOfOneUniqueName_ExactlyOneWins_EvenWhenStoreCallsAreSlow()
    {
        var service = NewService();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
        {
            try
            {
                service.CreateConversation(service.DefaultServiceSid, null, "same", null, null);
                return 0;
            }
            catch (EmulatorException e)
            {
                return e.Code;
            }
        }, TestContext.Current.CancellationToken)));

        results.Count(r => r == 0).Should().Be(1);
        results.Where(r => r != 0).Should().HaveCount(49).And.OnlyContain(c => c == ConversationService.ConversationExists);
        service.ListConversations(service.DefaultServiceSid).Should().ContainSingle();
    }

    [Fact]
    public async Task ParallelUserCreatesAndParticipantAdds_ExactlyOneWinsEach()
    {
        var service = NewService();
        var conversation = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);

        var users = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Try(() => service.CreateUser(service.DefaultServiceSid, "ann", null, null, null)))));
        var participants = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Try(() => service.CreateParticipant(service.DefaultServiceSid, conversation.Sid, "bob", null, null, null, null)))));

        users.Count(r => r == 0).Should().Be(1);
        users.Where(r => r != 0).Should().OnlyContain(c => c == ConversationService.UserExists);
        participants.Count(r => r == 0).Should().Be(1);
        participants.Where(r => r != 0).Should().OnlyContain(c => c == ConversationService.ParticipantExists);
    }

    [Fact]
    public void MessageIndexes_OnlyGrow_AcrossDeletes()
    {
        var service = NewService();
        var conversation = service.CreateConversation(service.DefaultServiceSid, null, null, null, null);

        var indexes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var message = service.CreateMessage(service.DefaultServiceSid, conversation.Sid, null, "x", null);
            indexes.Add(message.Index);
            service.DeleteMessage(service.DefaultServiceSid, conversation.Sid, message.Sid);
        }

        indexes.Should().Equal(0, 1, 2);
        service.ListMessages(service.DefaultServiceSid, conversation.Sid).Should().BeEmpty();
    }

    private static int Try(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (EmulatorException e)
        {
            return e.Code;
        }
    }

    private sealed class SlowStore(IEmulatorStore inner) : IEmulatorStore
    {
        public T Read<T>(Func<EmulatorState, T> read)
        {
            Thread.Sleep(2);
            return inner.Read(read);
        }

        public T Write<T>(Func<EmulatorState, T> write)
        {
            Thread.Sleep(2);
            return inner.Write(write);
        }
    }
}
