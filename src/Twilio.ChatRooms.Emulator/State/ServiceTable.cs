using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>The conversation services; the oldest is the default one.</summary>
internal sealed class ServiceTable(EmulatorState state) : Table<ServiceRecord>(state, EmulatorState.ServiceKind)
{
    /// <summary>The default service (the first created), or null before it is seeded.</summary>
    public ServiceRecord? Default { get; private set; }

    /// <summary>The service, or 404.</summary>
    public ServiceRecord Get(string serviceSid) => Find(serviceSid) ?? throw TwilioErrors.NotFound($"/Services/{serviceSid}");

    protected override void Indexed(ServiceRecord? old, ServiceRecord? current)
    {
        if (current is not null && (Default is null || current.Sid == Default.Sid || current.DateCreated < Default.DateCreated))
        {
            Default = current;
        }
        else if (current is null && old?.Sid == Default?.Sid)
        {
            Default = null;   // only an undone seed removes a service
        }
    }
}
