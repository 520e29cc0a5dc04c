using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

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

    /// <summary>Twilio's four default roles of a new service, by name: what a reset puts back.</summary>
    public static readonly IReadOnlyList<(string Name, string Type, IReadOnlyList<string> Permissions)> DefaultRoles =
    [
        ("channel admin", TwilioPermissions.ConversationType, TwilioPermissions.Conversation),
        ("channel user", TwilioPermissions.ConversationType, TwilioPermissions.ChannelUser),
        ("service admin", TwilioPermissions.ServiceType, TwilioPermissions.Service),
        ("service user", TwilioPermissions.ServiceType, TwilioPermissions.ServiceUser),
    ];

    private static string Seed(EmulatorState s, DateTimeOffset now)
    {
        var serviceSid = TwilioFormat.NewSid("IS");
        RoleRecord Add(string name, string type, IReadOnlyList<string> permissions)
        {
            var role = new RoleRecord(s.NextSeq(), TwilioFormat.NewSid("RL"), serviceSid, name, type, permissions, now, now);
            s.Roles.Add(role);
            return role;
        }

        var roles = DefaultRoles.Select(r => Add(r.Name, r.Type, r.Permissions)).ToList();
        var (channelAdmin, channelUser, serviceUser) = (roles[0], roles[1], roles[3]);
        s.Services.Add(new ServiceRecord(serviceSid, "Default Conversations Service", now, serviceUser.Sid, channelUser.Sid, channelAdmin.Sid));
        return serviceSid;
    }
}
