using Microsoft.Extensions.Logging.Abstractions;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.Resources.Users;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>The emulator's store and resource rules without HTTP, for tests that need thousands of writes or a frozen clock.</summary>
internal sealed class InProcessRules
{
    public InProcessRules(TimeProvider? time = null, IStatePersistence? persistence = null)
    {
        time ??= TimeProvider.System;
        Store = new EmulatorStore(persistence ?? new NoPersistence(), [], NullLogger<EmulatorStore>.Instance);
        DefaultServiceSid = new ServiceRules(Store, time).DefaultServiceSid;
        Users = new UserRules(Store, time, NullLogger<UserRules>.Instance);
        Conversations = new ConversationRules(Store, time, NullLogger<ConversationRules>.Instance);
        Participants = new ParticipantRules(Store, time, NullLogger<ParticipantRules>.Instance);
        Messages = new MessageRules(Store, time, NullLogger<MessageRules>.Instance);
    }

    public EmulatorStore Store { get; }

    public string DefaultServiceSid { get; }

    public UserRules Users { get; }

    public ConversationRules Conversations { get; }

    public ParticipantRules Participants { get; }

    public MessageRules Messages { get; }
}
