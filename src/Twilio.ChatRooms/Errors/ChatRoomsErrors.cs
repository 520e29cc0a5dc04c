using Twilio.Exceptions;

namespace Twilio.ChatRooms;

/// <summary>The one place where Twilio's exceptions become <see cref="ChatRoomsException"/>.</summary>
internal static class ChatRoomsErrors
{
    public const int ConversationUniqueNameExists = 50353;
    public const int UserExists = 50201;
    public const int ParticipantExists = 50433;
    public const int GroupParticipantExists = 50437;

    /// <param name="exception">What the SDK threw.</param>
    /// <param name="target">What was called, for the message: "Twilio", or the base address that stands in for it.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> of Twilio's last answer, if it sent one.</param>
    public static ChatRoomsException FromTwilio(Exception exception, string target, TimeSpan? retryAfter = null) => exception switch
    {
        ApiException api => FromApi(api, retryAfter),
        ApiConnectionException connection => new ChatRoomsException(
            ChatRoomsErrorKind.Unavailable,
            $"{target} could not be reached: " + (connection.InnerException?.Message ?? connection.Message),
            innerException: connection),
        _ => new ChatRoomsException(ChatRoomsErrorKind.Other, exception.Message, innerException: exception),
    };

    private static ChatRoomsException FromApi(ApiException api, TimeSpan? retryAfter)
    {
        int? status = api.Status == 0 ? null : api.Status;
        int? code = api.Code == 0 ? null : api.Code;
        var kind = (api.Status, api.Code) switch
        {
            (404, _) => ChatRoomsErrorKind.NotFound,
            (409, ConversationUniqueNameExists) => ChatRoomsErrorKind.AlreadyExists,
            (401, _) => ChatRoomsErrorKind.Unauthorized,
            (429, _) => ChatRoomsErrorKind.RateLimited,
            ( >= 500, _) => ChatRoomsErrorKind.Unavailable,
            _ => ChatRoomsErrorKind.Other,
        };
        var message = kind switch
        {
            ChatRoomsErrorKind.Unauthorized => "Twilio refused the credentials (check the account SID and auth token or API key): " + api.Message,
            ChatRoomsErrorKind.RateLimited => "Twilio kept answering 429 Too Many Requests after retrying: " + api.Message,
            ChatRoomsErrorKind.Unavailable => $"Twilio answered {api.Status} after retrying: " + api.Message,
            _ => $"Twilio answered {api.Status}{(code is null ? "" : $" (code {code})")}: {api.Message}",
        };
        return new ChatRoomsException(kind, message, status, code, api) { RetryAfter = retryAfter };
    }

    /// <summary>The same failure with a message that names what the caller asked for.</summary>
    public static ChatRoomsException WithMessage(this ChatRoomsException e, string message)
        => new(e.Kind, message, e.Status, e.TwilioCode, e.InnerException ?? e) { RetryAfter = e.RetryAfter };
}
