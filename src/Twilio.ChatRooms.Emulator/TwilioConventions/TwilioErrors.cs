namespace Twilio.ChatRooms.Emulator.TwilioConventions;

/// <summary>
/// Every Twilio error code the emulator answers, and the one factory that makes them, but for the access-token codes
/// (20101, 20103-20107, 20157): only the client face's token check answers those, and they are
/// <c>ClientTokenValidator.Codes</c> (ClientProtocol), 20101 and 20104 defined once on the twilsock seam
/// (<c>TwilsockAuthentication</c>). The 50xxx codes are from Twilio's error dictionary
/// (https://www.twilio.com/docs/api/errors/{code}; checked in the generated copy at github.com/AriaBagheri/twilio-error-rs,
/// src/products/programmable_chat/docs.rs). 20001 is Twilio's generic invalid-parameter code, which Twilio answers
/// for "Missing required parameter X in the post body" (github.com/twilio/twilio-chat-demo-android/issues/147). Codes
/// not confirmed, answered as 20001: PageSize, Page, PageToken and Order out of range; a role of the wrong type;
/// deleting a default role; a missing Permission; a request body that is not a well-formed form (<c>RestForm</c>).
/// </summary>
internal static class TwilioErrors
{
    public const int InvalidParameter = 20001;
    public const int AuthenticationFailed = 20003;
    public const int MethodNotAllowed = 20004;
    public const int ForbiddenCode = 20403;
    public const int NotFoundCode = 20404;
    public const int TooManyRequestsCode = 20429;
    public const int InternalError = 20500;
    public const int ServiceUnavailableCode = 20503;
    public const int FriendlyNameRequired = 50000;
    public const int FriendlyNameTooLong = 50003;
    public const int UniqueNameTooLong = 50004;
    public const int RoleNotFound = 50100;
    public const int PermissionNotFound = 50104;
    public const int InvalidRoleType = 50105;
    public const int NotAllowedCode = 50107;
    public const int ConversationRoleNotFound = 50109;
    public const int UserExists = 50201;
    public const int IdentityRequired = 50204;
    public const int IdentityTooLong = 50207;
    public const int IdentityWithBinding = 50211;
    public const int UserConversationLimitExceeded = 50214;
    public const int AttributesTooLong = 50303;
    public const int AttributesNotJson = 50304;
    public const int ConversationExists = 50353;
    public const int InvalidState = 50378;
    public const int InitialStateClosed = 50384;
    public const int UniqueNameLikeSid = 50390;
    public const int AddressEqualsProxyAddress = 50409;
    public const int AddressEmpty = 50411;
    public const int ProxyAddressEmpty = 50412;
    public const int BindingExists = 50416;
    public const int ParticipantLimitExceeded = 50417;
    public const int InvalidLastReadMessageIndex = 50421;
    public const int NonChatParticipantLimitExceeded = 50422;
    public const int NotMemberCode = 50430;
    public const int ParticipantExists = 50433;
    public const int WebhookNotFound = 50360;
    public const int TooManyWebhooks = 50361;
    public const int InvalidWebhookTarget = 50364;
    public const int InvalidWebhookFilter = 50365;
    public const int WebhookTargetRequired = 50368;
    public const int WebhookUrlRequired = 50369;
    public const int WebhookUrlTooLong = 50372;
    public const int BodyRequired = 50503;
    public const int BodyTooLong = 50504;
    public const int MediaNotFound = 50507;
    public const int MediaAlreadySent = 50508;
    public const int MediaSidInvalid = 50510;
    public const int MediaContentTypeInvalid = 50511;
    public const int MediaTooLarge = 50512;

    public static EmulatorException BadRequest(int code, string message) => new(400, code, message);

    /// <summary>
    /// A media SID a message cannot hold: malformed (50510), not uploaded to the service or not by the sender (50507:
    /// Twilio does not tell another user's file from none), or already sent with another message (50508).
    /// </summary>
    public static EmulatorException MediaRefused(int code, string sid) => BadRequest(code, code switch
    {
        MediaSidInvalid => $"Invalid message media SID {sid}",
        MediaAlreadySent => $"Media {sid} was already sent with another message",
        _ => $"Media {sid} not found",
    });

    /// <summary>413/50512: a file over the media service's size limit (nothing of it is kept).</summary>
    public static EmulatorException MediaTooBig(long limit) =>
        new(413, MediaTooLarge, $"Message media size is too large: the limit is {limit} bytes");

    /// <summary>415/50511: an upload without a valid content type, or of a type the emulator was told not to allow.</summary>
    public static EmulatorException MediaTypeRefused(string? contentType) =>
        new(415, MediaContentTypeInvalid, $"Invalid message media content type '{contentType}'");

    public static EmulatorException Conflict(int code, string message) => new(409, code, message);

    public static EmulatorException NotFound(string what) => new(404, NotFoundCode, $"The requested resource {what} was not found");

    /// <summary>404 with the emulator's own text, for what has no resource path (an SMS to an unknown pair).</summary>
    public static EmulatorException NoSuch(string message) => new(404, NotFoundCode, message);

    /// <summary>Twilio's answer to a conversation a chat user may not see: not found, as if it did not exist.</summary>
    public static EmulatorException ConversationHidden(string conversationKey) => NoSuch($"Conversation {conversationKey} not found");

    public static EmulatorException MissingParameter(string name) =>
        BadRequest(InvalidParameter, $"Missing required parameter {name} in the post body");

    /// <summary>403/20403: the client may not use the emulator at all (not loopback, or a page of another origin).</summary>
    public static EmulatorException Forbidden(string reason) => new(403, ForbiddenCode, $"Forbidden: {reason}");

    public static EmulatorException Unauthenticated() => new(401, AuthenticationFailed, "Authentication Error - invalid username");

    public static EmulatorException Unsupported(string method, string path) =>
        new(404, NotFoundCode, $"The emulator does not support {method} {path}");

    public static EmulatorException UnsupportedMethod(string method, string path) =>
        new(405, MethodNotAllowed, $"The emulator does not support {method} {path}");

    public static EmulatorException TooManyRequests(string message = "Too Many Requests") => new(429, TooManyRequestsCode, message);

    public static EmulatorException ServiceUnavailable() => new(503, ServiceUnavailableCode, "Service Unavailable");

    /// <summary>A write the store could not make durable: nothing was changed, so the caller may retry.</summary>
    public static EmulatorException StoreFailed(string cause) =>
        new(503, ServiceUnavailableCode, $"The emulator could not store the change, so nothing was changed: {cause}");

    /// <summary>The store cannot make writes durable now (a full disk, a file made read-only).</summary>
    public static EmulatorException StoreFailing(string cause) =>
        new(503, ServiceUnavailableCode, $"The emulator's store cannot make writes durable: {cause}");

    /// <summary>A user who is not a participant asked to read or write a conversation (client side only).</summary>
    public static EmulatorException NotMember() => new(403, NotMemberCode, "Participant is not a member of the conversation");

    /// <summary>The role lacks the permission (client side only; REST is an admin API with every right).</summary>
    /// <summary>404/50360: no conversation-scoped webhook of that SID in that conversation.</summary>
    public static EmulatorException NoSuchWebhook(string conversationSid, string sid) =>
        new(404, WebhookNotFound, $"Conversation webhook not found: /Conversations/{conversationSid}/Webhooks/{sid}");

    /// <summary>
    /// 403/20403: the pre-event webhook answered a status other than 2xx, so the change was not made. Twilio's pages
    /// name no code for this; the emulator answers its generic "forbidden".
    /// </summary>
    public static EmulatorException RefusedByWebhook(string eventType, int status) =>
        new(403, ForbiddenCode, $"Forbidden: the {eventType} webhook refused the action (it answered {status})");

    public static EmulatorException NotAllowed() => new(403, NotAllowedCode, "User not authorized to perform the requested operation");
}
