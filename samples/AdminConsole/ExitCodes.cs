using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace AdminConsole;

/// <summary>The exit codes of <c>chatrooms</c>, and the one place that turns a failure into a code and a line.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Twilio (or the emulator) refused the request for another reason, or something unexpected failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown verb or option, missing argument, an invalid room name or phone number.</summary>
    public const int Usage = 2;

    /// <summary>The connection settings are missing or malformed, or the credentials were refused.</summary>
    public const int Configuration = 3;

    /// <summary>The room does not exist, or the phone number is not in it.</summary>
    public const int NotFound = 4;

    /// <summary>A room of that name exists already, or the phone number is already a participant with that proxy number.</summary>
    public const int AlreadyExists = 5;

    /// <summary>Twilio or the emulator could not be reached.</summary>
    public const int Unavailable = 6;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>Maps a failure to its exit code and a single line for stderr.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="roomName">
    /// The room the command was about, when a not-found or already-exists can only be about the room, to word them so;
    /// null keeps the library's message (which names the room or the phone number).
    /// </param>
    /// <returns>The exit code and the message.</returns>
    public static (int ExitCode, string Message) FromException(Exception exception, string? roomName = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (code, message) = exception switch
        {
            OperationCanceledException => (Cancelled, "Cancelled."),
            EmulatorCredentialsException e => (Configuration, e.Message),
            OptionsValidationException e => (Configuration,
                $"Invalid configuration: {string.Join(" ", e.Failures)} Set the Twilio:* settings, the TWILIO_* variables or a .env file, or use --emulator."),
            ChatRoomsException { Kind: ChatRoomsErrorKind.NotFound } when roomName is not null =>
                (NotFound, $"Chat room not found: {roomName}"),
            ChatRoomsException { Kind: ChatRoomsErrorKind.AlreadyExists } when roomName is not null =>
                (AlreadyExists, $"Chat room already exists: {roomName}"),
            ChatRoomsException e => e.Kind switch
            {
                ChatRoomsErrorKind.NotFound => (NotFound, e.Message),
                ChatRoomsErrorKind.AlreadyExists => (AlreadyExists, e.Message),
                ChatRoomsErrorKind.Unauthorized => (Configuration, e.Message), // the library's: "Twilio refused the credentials (...)"
                ChatRoomsErrorKind.Configuration => (Configuration, e.Message),
                ChatRoomsErrorKind.Unavailable => (Unavailable, $"Unreachable: {e.Message}"),
                ChatRoomsErrorKind.RateLimited => (Failure, $"Twilio is rate limiting requests; try again shortly: {e.Message}"),
                _ => (Failure, Describe(e)),
            },
            ArgumentException e => (Usage, $"Invalid argument: {WithoutParameterName(e)}"),
            HttpRequestException e => (Unavailable, $"Unreachable: {e.Message}"),
            _ => (Failure, $"Unexpected error ({exception.GetType().Name}): {exception.Message}"),
        };
        return (code, OneLine(message));
    }

    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private static string Describe(ChatRoomsException e)
    {
        var details = (e.Status, e.TwilioCode) switch
        {
            (int s, int c) => $" (HTTP {s}, Twilio code {c})",
            (int s, null) => $" (HTTP {s})",
            (null, int c) => $" (Twilio code {c})",
            _ => "",
        };
        return e.Message + details;
    }

    /// <summary>Folds a message onto one line, so that stderr carries exactly one line per failure.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
