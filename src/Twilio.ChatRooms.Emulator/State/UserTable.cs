using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>The users of every service, indexed by identity.</summary>
internal sealed class UserTable(EmulatorState state) : Table<UserRecord>(state, EmulatorState.UserKind)
{
    private readonly Dictionary<(string ServiceSid, string Identity), UserRecord> _byIdentity = [];

    /// <summary>The user with this SID or identity, or null.</summary>
    public UserRecord? Find(string serviceSid, string key) =>
        Find(key) is { } bySid && bySid.ServiceSid == serviceSid ? bySid : _byIdentity.GetValueOrDefault((serviceSid, key));

    /// <summary>The user with this SID or identity, or 404.</summary>
    public UserRecord Get(string serviceSid, string key)
    {
        State.Services.Get(serviceSid);
        return Find(serviceSid, key) ?? throw TwilioErrors.NotFound($"/Services/{serviceSid}/Users/{key}");
    }

    /// <summary>Adds a new user (the caller has checked its identity is free).</summary>
    public UserRecord AddNew(string serviceSid, string identity, string? friendlyName, string attributes, string roleSid, DateTimeOffset now)
    {
        var user = new UserRecord(State.NextSeq(), TwilioFormat.NewSid("US"), serviceSid, identity, friendlyName, attributes, roleSid, now, now);
        Add(user);
        return user;
    }

    protected override void Indexed(UserRecord? old, UserRecord? current)
    {
        if (current is not null && _byIdentity.TryGetValue((current.ServiceSid, current.Identity), out var holder) && holder.Sid != current.Sid)
        {
            throw new InvalidDataException($"Users {holder.Sid} and {current.Sid} have one identity, {current.Identity}");
        }

        if (old is not null)
        {
            _byIdentity.Remove((old.ServiceSid, old.Identity));
        }

        if (current is not null)
        {
            _byIdentity[(current.ServiceSid, current.Identity)] = current;
        }
    }
}
