using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Roles;

/// <summary>Roles: a type (service or conversation), Twilio's permissions of that type; the default roles stay.</summary>
internal sealed class RoleRules(EmulatorStore store, TimeProvider time, ILogger<RoleRules> logger)
{
    public IReadOnlyList<RoleRecord> List(string serviceSid) => store.Read(s =>
    {
        s.Services.Get(serviceSid);   // 404 for an unknown service
        return s.Roles.Values.Where(r => r.ServiceSid == serviceSid).OrderBy(r => r.Seq).ToList();
    });

    public RoleRecord Fetch(string serviceSid, string roleSid) => store.Read(s => s.Roles.Get(serviceSid, roleSid));

    public RoleRecord Create(string serviceSid, string? friendlyName, string? type, IReadOnlyList<string> permissions)
    {
        var name = string.IsNullOrWhiteSpace(friendlyName)
            ? throw TwilioErrors.BadRequest(TwilioErrors.FriendlyNameRequired, "FriendlyName not provided")
            : friendlyName;
        InputChecks.FriendlyName(name);
        if (type is not (TwilioPermissions.ServiceType or TwilioPermissions.ConversationType))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidRoleType, "Type must be service or conversation");
        }

        var checkedPermissions = InputChecks.Permissions(type, permissions);
        var now = TwilioFormat.Now(time);
        var role = store.Write(s =>
        {
            s.Services.Get(serviceSid);
            var created = new RoleRecord(s.NextSeq(), TwilioFormat.NewSid("RL"), serviceSid, name, type, checkedPermissions, now, now);
            s.Roles.Add(created);
            return created;
        });
        Log.Created(logger, "role", role.Sid);
        return role;
    }

    public RoleRecord Update(string serviceSid, string roleSid, IReadOnlyList<string> permissions)
    {
        var now = TwilioFormat.Now(time);
        return store.Write(s =>
        {
            var role = s.Roles.Get(serviceSid, roleSid);
            var updated = role with { Permissions = InputChecks.Permissions(role.Type, permissions), DateUpdated = now };
            s.Roles.Replace(updated);
            return updated;
        });
    }

    public void Delete(string serviceSid, string roleSid) => store.Write(s =>
    {
        var role = s.Roles.Get(serviceSid, roleSid);
        var service = s.Services.Get(serviceSid);
        if (role.Sid == service.DefaultServiceRoleSid || role.Sid == service.DefaultConversationRoleSid || role.Sid == service.DefaultConversationCreatorRoleSid)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "A default role cannot be deleted");
        }

        s.Roles.Remove(role);
        return true;
    });
}
