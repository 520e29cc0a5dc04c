using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>The resource rules against a store whose writes are slow, so a check-then-act race shows.</summary>
public sealed class ConversationServiceTests
{
    private static InProcessRules NewService() => new(persistence: new SlowPersistence());

    [Fact]
    public void UpdateMessage_InTheSecondItWasSent_IsStillDatedAfterIt()
    {
        var service = new InProcessRules(new FrozenTime(new DateTimeOffset(2026, 11, 25, 8, 0, 0, 500, TimeSpan.Zero)));
        var conversation = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);
        var sent = service.Messages.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, "alice", "tpyo", null);

        var edited = service.Messages.Update(Actor.Account, service.DefaultServiceSid, conversation.Sid, sent.Sid, null, "typo", null);

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
                service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, "same", null, null);
                return 0;
            }
            catch (EmulatorException e)
            {
                return e.Code;
            }
        }, TestContext.Current.CancellationToken)));

        results.Count(r => r == 0).Should().Be(1);
        results.Where(r => r != 0).Should().HaveCount(49).And.OnlyContain(c => c == TwilioErrors.ConversationExists);
        service.Conversations.List(service.DefaultServiceSid).Should().ContainSingle();
    }

    [Fact]
    public async Task ParallelUserCreatesAndParticipantAdds_ExactlyOneWinsEach()
    {
        var service = NewService();
        var conversation = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);

        var users = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Try(() => service.Users.Create(service.DefaultServiceSid, "ann", null, null, null)))));
        var participants = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Try(() => service.Participants.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, "bob", null, null, null, null)))));

        users.Count(r => r == 0).Should().Be(1);
        users.Where(r => r != 0).Should().OnlyContain(c => c == TwilioErrors.UserExists);
        participants.Count(r => r == 0).Should().Be(1);
        participants.Where(r => r != 0).Should().OnlyContain(c => c == TwilioErrors.ParticipantExists);
    }

    [Fact]
    public void MessageIndexes_OnlyGrow_AcrossDeletes()
    {
        var service = NewService();
        var conversation = service.Conversations.Create(Actor.Account, service.DefaultServiceSid, null, null, null, null);

        var indexes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var message = service.Messages.Create(Actor.Account, service.DefaultServiceSid, conversation.Sid, null, "x", null);
            indexes.Add(message.Index);
            service.Messages.Delete(Actor.Account, service.DefaultServiceSid, conversation.Sid, message.Sid);
        }

        indexes.Should().Equal(0, 1, 2);
        service.Messages.Count(service.DefaultServiceSid, conversation.Sid).Should().Be(0);
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

    private sealed class SlowPersistence : IStatePersistence
    {
        public void Load(EmulatorState state)
        {
        }

        public void Commit(IReadOnlyList<StateChange> changes) => Thread.Sleep(2);

        public string? Probe() => null;

        public void Dispose()
        {
        }
    }
}
