using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.ConversationsRest;

namespace Twilio.ChatRooms;

/// <summary>
/// The service SID and the participant role SID, each looked up once and cached (a failed lookup is not cached).
/// </summary>
internal sealed class ChatRoomsLookups(ConversationsApi api, IOptions<TwilioChatRoomsOptions> options, ILogger<ChatRoomsLookups> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile string? _defaultServiceSid;
    private volatile string? _roleSid;

    public string RoleName => options.Value.ParticipantRoleName;

    /// <summary>The configured service SID, else the account's default conversation service.</summary>
    public async ValueTask<string> GetServiceSidAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!string.IsNullOrEmpty(options.Value.ServiceSid))
        {
            return options.Value.ServiceSid;
        }

        if (_defaultServiceSid is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_defaultServiceSid is { } again)
            {
                return again;
            }

            var sid = await api.GetDefaultServiceSidAsync(cancellationToken).ConfigureAwait(false);
            if (sid is null)
            {
                throw new ChatRoomsException(
                    ChatRoomsErrorKind.Configuration,
                    "The account has no default conversation service; set ServiceSid (Twilio:ServiceSid or TWILIO_CONVERSATIONS_SERVICE_SID).");
            }

            Log.DefaultServiceResolved(logger, sid);
            _defaultServiceSid = sid;
            return sid;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The participant role's SID; a <see cref="ChatRoomsErrorKind.Configuration"/> error when it is missing.</summary>
    public async ValueTask<string> GetRoleSidAsync(string serviceSid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_roleSid is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_roleSid is { } again)
            {
                return again;
            }

            var role = await FindRoleAsync(serviceSid, cancellationToken).ConfigureAwait(false)
                ?? throw new ChatRoomsException(
                    ChatRoomsErrorKind.Configuration,
                    $"The service role '{RoleName}' does not exist in service {serviceSid}; run `chatrooms setup` (the admin console) "
                    + "or create it in the Twilio console with the permissions createConversation, joinConversation and editOwnUserInfo.");
            Log.RoleResolved(logger, RoleName, role.Sid);
            _roleSid = role.Sid;
            return role.Sid;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Looks the participant role up by name, bypassing the cache.</summary>
    public async Task<RoleRecord?> FindRoleAsync(string serviceSid, CancellationToken cancellationToken)
    {
        await foreach (var role in api.ListRolesAsync(serviceSid, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(role.Name, RoleName, StringComparison.Ordinal))
            {
                return role;
            }
        }

        return null;
    }

    /// <summary>Replaces the cached role SID (after the role was created or corrected).</summary>
    public void SetRoleSid(string? roleSid) => _roleSid = roleSid;

    public void Dispose() => _gate.Dispose();
}
