using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms;

/// <summary>Every log line of the library. Never a secret, auth token or access token.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Twilio request {Method} {Path} failed: status {Status}, code {TwilioCode}, {Kind}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, int? status, int? twilioCode, ChatRoomsErrorKind kind);

    [LoggerMessage(11, LogLevel.Debug, "Twilio refused {Method} {Path}: status {Status}, code {TwilioCode}, {Kind}")]
    public static partial void RequestRefused(ILogger logger, string method, string path, int? status, int? twilioCode, ChatRoomsErrorKind kind);

    [LoggerMessage(2, LogLevel.Information, "Using the account's default conversation service {ServiceSid}")]
    public static partial void DefaultServiceResolved(ILogger logger, string serviceSid);

    [LoggerMessage(3, LogLevel.Debug, "Service role {RoleName} is {RoleSid}")]
    public static partial void RoleResolved(ILogger logger, string roleName, string roleSid);

    [LoggerMessage(4, LogLevel.Information, "Created chat room {Name} ({Sid})")]
    public static partial void RoomCreated(ILogger logger, string name, string sid);

    [LoggerMessage(5, LogLevel.Information, "Deleted chat room {Name}")]
    public static partial void RoomDeleted(ILogger logger, string name);

    [LoggerMessage(6, LogLevel.Information, "Provisioned {Identity}: {RoomCount} rooms, {Added} added (new user: {NewUser})")]
    public static partial void Provisioned(ILogger logger, string identity, int roomCount, int added, bool newUser);

    [LoggerMessage(7, LogLevel.Information, "Service role {RoleName} ({RoleSid}): {Change}")]
    public static partial void RoleEnsured(ILogger logger, string roleName, string roleSid, string change);

    [LoggerMessage(22, LogLevel.Information, "Granted editAnyMessageAttributes to the service's default conversation role {RoleSid}, so room members can react to each other's messages")]
    public static partial void ReactionsGranted(ILogger logger, string roleSid);

    [LoggerMessage(8, LogLevel.Debug, "Issued an access token for {Identity}, expiring at {ExpiresAt}")]
    public static partial void TokenIssued(ILogger logger, string identity, DateTimeOffset expiresAt);

    [LoggerMessage(9, LogLevel.Information, "Refused an access token: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(10, LogLevel.Debug, "Room {RoomSid} disappeared while provisioning {Identity}; skipped")]
    public static partial void RoomGoneDuringProvisioning(ILogger logger, string roomSid, string identity);

    [LoggerMessage(12, LogLevel.Information, "Ensured user {Identity}: member of {RoomCount} rooms (new user: {NewUser})")]
    public static partial void UserEnsured(ILogger logger, string identity, int roomCount, bool newUser);

    [LoggerMessage(13, LogLevel.Information, "{Identity} joined chat room {Name} ({Sid})")]
    public static partial void JoinedRoom(ILogger logger, string identity, string name, string sid);

    [LoggerMessage(14, LogLevel.Information, "{Identity} left chat room {Name} ({Sid})")]
    public static partial void LeftRoom(ILogger logger, string identity, string name, string sid);

    [LoggerMessage(15, LogLevel.Debug, "{Identity} is not a member of room {Sid}; nothing to leave")]
    public static partial void NotAMember(ILogger logger, string identity, string sid);

    [LoggerMessage(16, LogLevel.Information, "{Identity} started the private conversation {Sid} with {OtherIdentity}")]
    public static partial void PrivateConversationStarted(ILogger logger, string identity, string otherIdentity, string sid);

    // Participant SIDs only: a phone number is personal data.
    [LoggerMessage(17, LogLevel.Information, "Added SMS participant {ParticipantSid} to chat room {Name} ({Sid})")]
    public static partial void SmsParticipantAdded(ILogger logger, string participantSid, string name, string sid);

    [LoggerMessage(18, LogLevel.Information, "Removed SMS participant {ParticipantSid} from chat room {Name} ({Sid})")]
    public static partial void SmsParticipantRemoved(ILogger logger, string participantSid, string name, string sid);

    [LoggerMessage(19, LogLevel.Warning, "Refused a Twilio webhook {Method} {Path}: {Reason}")]
    public static partial void WebhookSignatureRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(20, LogLevel.Information, "A webhook handler refused {EventType}: {Reason}")]
    public static partial void WebhookRefusedChange(ILogger logger, string eventType, string reason);

    [LoggerMessage(21, LogLevel.Error, "A webhook handler failed on {EventType}")]
    public static partial void WebhookHandlerFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(23, LogLevel.Information, "Sent a message to chat room {Name} with {Files} files")]
    public static partial void MessageSent(ILogger logger, string name, int files);
}
