namespace Twilio.ChatRooms;

/// <summary>A failure reported by Twilio (or the emulator), or a configuration the library cannot work with.</summary>
public sealed class ChatRoomsException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong, in the terms callers act on.</param>
    /// <param name="message">A sentence for people: what failed and what to do.</param>
    /// <param name="status">The HTTP status Twilio answered with, when there was an answer.</param>
    /// <param name="twilioCode">Twilio's error code (https://www.twilio.com/docs/errors), when there was one.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ChatRoomsException(ChatRoomsErrorKind kind, string message, int? status = null, int? twilioCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Status = status;
        TwilioCode = twilioCode;
    }

    /// <summary>What went wrong.</summary>
    public ChatRoomsErrorKind Kind { get; }

    /// <summary>The HTTP status of Twilio's answer, or <see langword="null"/> when there was none (a connection failure).</summary>
    public int? Status { get; }

    /// <summary>Twilio's error code, such as 50353 for a unique name that exists, or <see langword="null"/>.</summary>
    public int? TwilioCode { get; }

    /// <summary>
    /// How long Twilio asked to wait before trying again (its <c>Retry-After</c> header, on a 429 or 503 that outlasted
    /// the retries), or <see langword="null"/> when it did not say. A host passes it on to its own callers.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The kinds of <see cref="ChatRoomsException"/>.</summary>
public enum ChatRoomsErrorKind
{
    /// <summary>Any failure not listed below; see <see cref="ChatRoomsException.Status"/> and <see cref="ChatRoomsException.TwilioCode"/>.</summary>
    Other = 0,

    /// <summary>The room (or other resource: a user, a phone number in a room) does not exist (HTTP 404).</summary>
    NotFound = 1,

    /// <summary>
    /// A room of that name exists already (HTTP 409, Twilio code 50353), or something else that must be unique is taken:
    /// an SMS number and proxy number pair (HTTP 409, code 50416), a private conversation's unique name.
    /// </summary>
    AlreadyExists = 2,

    /// <summary>The credentials were refused (HTTP 401, Twilio code 20003), or an access token to validate or renew was not valid.</summary>
    Unauthorized = 3,

    /// <summary>Twilio kept answering 429 after the retries (Twilio code 20429).</summary>
    RateLimited = 4,

    /// <summary>Twilio or the emulator could not be reached, or kept answering 5xx after the retries.</summary>
    Unavailable = 5,

    /// <summary>The account is not set up as the library needs, such as a missing participant role.</summary>
    Configuration = 6,
}
