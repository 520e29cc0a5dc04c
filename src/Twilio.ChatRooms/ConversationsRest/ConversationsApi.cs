using System.Runtime.CompilerServices;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.ConversationsRest;

/// <summary>
/// The one owner of Twilio's REST shape: every path (built by <see cref="RestPath"/>, every segment escaped), form
/// field and JSON field the library uses, with one typed method per operation. Services call this, never each other.
/// </summary>
/// <remarks>
/// This file holds the configuration, roles and users; <c>ConversationsApi.Conversations.cs</c> holds conversations,
/// rooms and participants.
/// </remarks>
internal sealed partial class ConversationsApi(TwilioRest rest)
{
    /// <summary>The account's default conversation service, or null when it has none.</summary>
    public async Task<string?> GetDefaultServiceSidAsync(CancellationToken cancellationToken)
    {
        var configuration = await rest.SendAsync(TwilioRest.Get, RestPath.Configuration, null, cancellationToken).ConfigureAwait(false);
        return configuration.String("default_chat_service_sid") is { Length: > 0 } sid ? sid : null;
    }

    /// <summary>The conversation role Twilio gives a participant added without one (the service's "channel user" by default).</summary>
    public async Task<string> GetDefaultConversationRoleSidAsync(string serviceSid, CancellationToken cancellationToken)
    {
        var configuration = await rest.SendAsync(TwilioRest.Get, RestPath.Service(serviceSid, "Configuration"), null, cancellationToken).ConfigureAwait(false);
        return configuration.RequiredString("default_conversation_role_sid");
    }

    /// <summary>Every role of the service.</summary>
    public async IAsyncEnumerable<RoleRecord> ListRolesAsync(string serviceSid, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var role in rest.ReadAllAsync(RestPath.Service(serviceSid, "Roles"), "roles", TwilioRest.SmallPageSize, cancellationToken)
            .ConfigureAwait(false))
        {
            yield return new RoleRecord(role.RequiredString("sid"), role.String("friendly_name"), role.String("type"), role.Strings("permissions"));
        }
    }

    /// <summary>Creates a service role with <paramref name="permissions"/>; returns its SID.</summary>
    public async Task<string> CreateServiceRoleAsync(string serviceSid, string name, IEnumerable<string> permissions, CancellationToken cancellationToken)
    {
        var created = await rest.SendAsync(
            TwilioRest.Post,
            RestPath.Service(serviceSid, "Roles"),
            [new("FriendlyName", name), new("Type", "service"), .. Permissions(permissions)],
            cancellationToken).ConfigureAwait(false);
        return created.RequiredString("sid");
    }

    /// <summary>Replaces a role's permissions.</summary>
    public Task UpdateRolePermissionsAsync(string serviceSid, string roleSid, IEnumerable<string> permissions, CancellationToken cancellationToken)
        => rest.SendAsync(TwilioRest.Post, RestPath.Service(serviceSid, "Roles", roleSid), [.. Permissions(permissions)], cancellationToken);

    /// <summary>Creates the user with the role; returns whether it is new (false when it existed: 409, code 50201).</summary>
    public async Task<bool> CreateUserAsync(string serviceSid, string identity, string roleSid, CancellationToken cancellationToken)
    {
        try
        {
            await rest.SendAsync(
                TwilioRest.Post,
                RestPath.Service(serviceSid, "Users"),
                [new("Identity", identity), new("RoleSid", roleSid)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChatRoomsException e) when (e.Status == 409 && e.TwilioCode == ChatRoomsErrors.UserExists)
        {
            return false;
        }
    }

    /// <summary>Checks that the user exists: <see cref="ChatRoomsErrorKind.NotFound"/> ("User 'x' not found.") when not.</summary>
    public async Task FetchUserAsync(string serviceSid, string identity, CancellationToken cancellationToken)
    {
        try
        {
            await rest.SendAsync(TwilioRest.Get, RestPath.Service(serviceSid, "Users", identity), null, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage($"User '{identity}' not found.");
        }
    }

    /// <summary>The conversations the user is a participant of (rooms and private ones alike), from its conversation records.</summary>
    public async IAsyncEnumerable<ConversationRecord> ListUserConversationsAsync(
        string serviceSid,
        string identity,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = RestPath.Service(serviceSid, "Users", identity, "Conversations");
        await foreach (var membership in rest.ReadAllAsync(path, "conversations", TwilioRest.SmallPageSize, cancellationToken).ConfigureAwait(false))
        {
            if (membership.String("conversation_sid") is not null)
            {
                yield return ConversationRecord.From(membership, "conversation_sid");
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Permissions(IEnumerable<string> permissions)
        => permissions.Select(p => new KeyValuePair<string, string>("Permission", p));
}
