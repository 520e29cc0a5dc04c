using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.Resources.Services;

/// <summary>The conversation services: one default service, created with Twilio's four default roles when the state is new.</summary>
internal sealed class ServiceRules
{
    private readonly EmulatorStore _store;

    public ServiceRules(EmulatorStore store, TimeProvider time)
    {
        _store = store;
        var now = TwilioFormat.Now(time);
        DefaultServiceSid = store.Read(s => s.Services.Default?.Sid) ?? store.Write(s => Seed(s, now));
    }

    public string DefaultServiceSid { get; }

    public ServiceRecord Get(string serviceSid) => _store.Read(s => s.Services.Get(serviceSid));

    private static string Seed(EmulatorState s, DateTimeOffset now)
    {
        var serviceSid = TwilioFormat.NewSid("IS");
        RoleRecord Add(string name, string type, IReadOnlyList<string> permissions)
        {
            var role = new RoleRecord(s.NextSeq(), TwilioFormat.NewSid("RL"), serviceSid, name, type, permissions, now, now);
            s.Roles.Add(role);
            return role;
        }

        var channelAdmin = Add("channel admin", TwilioPermissions.ConversationType, TwilioPermissions.Conversation);
        var channelUser = Add("channel user", TwilioPermissions.ConversationType, TwilioPermissions.ChannelUser);
        Add("service admin", TwilioPermissions.ServiceType, TwilioPermissions.Service);
        var serviceUser = Add("service user", TwilioPermissions.ServiceType, TwilioPermissions.ServiceUser);
        s.Services.Add(new ServiceRecord(serviceSid, "Default Conversations Service", now, serviceUser.Sid, channelUser.Sid, channelAdmin.Sid));
        return serviceSid;
    }
}
