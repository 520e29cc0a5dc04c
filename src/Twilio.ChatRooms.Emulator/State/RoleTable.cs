using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>The roles of every service.</summary>
internal sealed class RoleTable(EmulatorState state) : Table<RoleRecord>(state, EmulatorState.RoleKind)
{
    /// <summary>A role of the service, or 404.</summary>
    public RoleRecord Get(string serviceSid, string roleSid)
    {
        State.Services.Get(serviceSid);
        return Find(roleSid) is { } role && role.ServiceSid == serviceSid
            ? role
            : throw TwilioErrors.NotFound($"/Services/{serviceSid}/Roles/{roleSid}");
    }

    /// <summary>
    /// Whether the role (of <paramref name="type"/>; null: the service's default of that type) grants
    /// <paramref name="permission"/>.
    /// </summary>
    public bool Grants(ServiceRecord service, string? roleSid, string type, string permission)
    {
        var sid = roleSid ?? (type == TwilioPermissions.ServiceType ? service.DefaultServiceRoleSid : service.DefaultConversationRoleSid);
        return Get(service.Sid, sid).Permissions.Contains(permission);
    }

    /// <summary>The service role a user gets: <paramref name="roleSid"/> (400/50100 when unknown) or the service's default.</summary>
    public string ServiceRoleFor(ServiceRecord service, string? roleSid) =>
        OfType(service, roleSid, TwilioPermissions.ServiceType, service.DefaultServiceRoleSid, TwilioErrors.RoleNotFound);

    /// <summary>The conversation role a participant gets: <paramref name="roleSid"/> (400/50109 when unknown) or the service's default.</summary>
    public string ConversationRoleFor(ServiceRecord service, string? roleSid) =>
        OfType(service, roleSid, TwilioPermissions.ConversationType, service.DefaultConversationRoleSid, TwilioErrors.ConversationRoleNotFound);

    private string OfType(ServiceRecord service, string? roleSid, string type, string fallback, int notFound)
    {
        if (string.IsNullOrEmpty(roleSid))
        {
            return fallback;
        }

        if (Find(roleSid) is not { } role || role.ServiceSid != service.Sid)
        {
            throw TwilioErrors.BadRequest(notFound, $"Role not found: {roleSid}");
        }

        return role.Type == type
            ? role.Sid
            : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Role {roleSid} is a {role.Type} role, not a {type} role");
    }
}
