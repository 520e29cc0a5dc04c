using Microsoft.Extensions.Logging.Abstractions;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>The one write path: a change is seen, and its events are sent, only once the persistence has committed it.</summary>
public sealed class WritePathTests
{
    [Fact]
    public void Write_WhenThePersistenceCannotCommit_ChangesNothingInMemory_SendsNoEvent_AndAnswers503()
    {
        var persistence = new SwitchablePersistence();
        var listener = new RecordingListener();
        using var store = new EmulatorStore(persistence, [listener], NullLogger<EmulatorStore>.Instance);
        var serviceSid = new ServiceRules(store, TimeProvider.System).DefaultServiceSid;
        var conversations = new ConversationRules(store, TimeProvider.System, NullLogger<ConversationRules>.Instance);
        var participants = new ParticipantRules(store, TimeProvider.System, NullLogger<ParticipantRules>.Instance);
        var room = conversations.Create(Actor.Account, serviceSid, null, "room", null, null);
        listener.Events.Should().Equal(new ConversationAdded(room));
        listener.Events.Clear();
        var committed = persistence.Commits;
        persistence.Failing = true;

        // Adding a participant also creates its user: both or neither.
        var failed = () => participants.Create(Actor.Account, serviceSid, room.Sid, "alice", null, null, null, null);
        var rename = () => conversations.Update(Actor.Account, serviceSid, room.Sid, null, "renamed", null, null);

        failed.Should().Throw<EmulatorException>().Where(e => e.Status == 503 && e.Code == TwilioErrors.ServiceUnavailableCode);
        rename.Should().Throw<EmulatorException>().Where(e => e.Status == 503);
        store.Read(s => s.Users.Find(serviceSid, "alice")).Should().BeNull();
        participants.List(serviceSid, room.Sid).Should().BeEmpty();
        conversations.Fetch(serviceSid, "room").Sid.Should().Be(room.Sid, "the unique name was not changed");
        var lookup = () => conversations.Fetch(serviceSid, "renamed");
        lookup.Should().Throw<EmulatorException>().Where(e => e.Status == 404, "the index was put back too");
        listener.Events.Should().BeEmpty();
        persistence.Commits.Should().Be(committed);

        persistence.Failing = false;
        var alice = participants.Create(Actor.Account, serviceSid, room.Sid, "alice", null, null, null, null);

        listener.Events.OfType<ParticipantAdded>().Should().ContainSingle().Which.Should().Be(new ParticipantAdded(alice, room));
        listener.Events.OfType<UserAdded>().Should().ContainSingle("the participant's new user").Which.User.Identity.Should().Be("alice");
        store.Read(s => s.Users.Find(serviceSid, "alice")).Should().NotBeNull();
    }

    [Fact]
    public void Write_ThatFailsATwilioCheckHalfway_LeavesNothingBehind()
    {
        using var store = new EmulatorStore(new NoPersistence(), [], NullLogger<EmulatorStore>.Instance);
        var serviceSid = new ServiceRules(store, TimeProvider.System).DefaultServiceSid;
        var before = store.Read(s => s.Conversations.Count);

        var write = () => store.Write<bool>(s =>
        {
            s.Conversations.Add(new ConversationRecord(s.NextSeq(), TwilioFormat.NewSid("CH"), serviceSid, null, "half", "{}", "active",
                DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0));
            throw TwilioErrors.Conflict(TwilioErrors.ConversationExists, "checked after the add");
        });

        write.Should().Throw<EmulatorException>();
        store.Read(s => s.Conversations.Count).Should().Be(before);
        var lookup = () => store.Read(s => s.Conversations.Get(serviceSid, "half"));
        lookup.Should().Throw<EmulatorException>().Where(e => e.Status == 404);
    }

    private sealed class SwitchablePersistence : IStatePersistence
    {
        public bool Failing { get; set; }

        public int Commits { get; private set; }

        public void Load(EmulatorState state)
        {
        }

        public void Commit(IReadOnlyList<StateChange> changes)
        {
            if (Failing)
            {
                throw new IOException("No space left on device");
            }

            Commits++;
        }

        public string? Probe() => Failing ? "No space left on device" : null;

        public void Dispose()
        {
        }
    }

    private sealed class RecordingListener : IChangeListener
    {
        public List<EmulatorEvent> Events { get; } = [];

        public void Committed(EmulatorEvent change) => Events.Add(change);
    }
}
