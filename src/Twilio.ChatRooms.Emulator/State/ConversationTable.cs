using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>The conversations of every service, indexed by unique name.</summary>
internal sealed class ConversationTable(EmulatorState state) : Table<ConversationRecord>(state, EmulatorState.ConversationKind)
{
    private readonly Dictionary<(string ServiceSid, string UniqueName), ConversationRecord> _byUniqueName = [];

    /// <summary>The conversation with this SID or unique name, or 404.</summary>
    public ConversationRecord Get(string serviceSid, string key)
    {
        State.Services.Get(serviceSid);
        if (Find(key) is { } bySid && bySid.ServiceSid == serviceSid)
        {
            return bySid;
        }

        return _byUniqueName.GetValueOrDefault((serviceSid, key)) ?? throw TwilioErrors.NotFound($"/Services/{serviceSid}/Conversations/{key}");
    }

    /// <summary>The conversation of the service with this SID or unique name, or null.</summary>
    public ConversationRecord? Find(string serviceSid, string key) =>
        Find(key) is { } bySid && bySid.ServiceSid == serviceSid ? bySid : _byUniqueName.GetValueOrDefault((serviceSid, key));

    /// <summary>409/50353 when another conversation of the service holds <paramref name="uniqueName"/>.</summary>
    public void EnsureUniqueNameFree(string serviceSid, string? uniqueName, string? exceptSid)
    {
        if (!string.IsNullOrEmpty(uniqueName)
            && _byUniqueName.TryGetValue((serviceSid, uniqueName), out var holder) && holder.Sid != exceptSid)
        {
            throw TwilioErrors.Conflict(TwilioErrors.ConversationExists, $"A Conversation with the provided unique name already exists: {uniqueName}");
        }
    }

    protected override void Indexed(ConversationRecord? old, ConversationRecord? current)
    {
        if (current?.UniqueName is { } taken && _byUniqueName.TryGetValue((current.ServiceSid, taken), out var holder) && holder.Sid != current.Sid)
        {
            throw new InvalidDataException($"Conversations {holder.Sid} and {current.Sid} have one unique name, {taken}");
        }

        if (old?.UniqueName is { } oldName)
        {
            _byUniqueName.Remove((old.ServiceSid, oldName));
        }

        if (current?.UniqueName is { } name)
        {
            _byUniqueName[(current.ServiceSid, name)] = current;
        }
    }
}
