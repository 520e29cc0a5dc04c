namespace WebApiHost;

/// <summary>The host's log messages. Never a token or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Chat back end: {Backend} ({Description})")]
    public static partial void BackendSelected(ILogger logger, string backend, string description);

    [LoggerMessage(2, LogLevel.Information, "Created the starter room '{Room}'")]
    public static partial void RoomSeeded(ILogger logger, string room);

    [LoggerMessage(3, LogLevel.Information, "Signed in '{Identity}' ({RoomCount} rooms)")]
    public static partial void LoggedIn(ILogger logger, string identity, int roomCount);

    [LoggerMessage(5, LogLevel.Warning, "The back end is unreachable: {Reason}")]
    public static partial void BackendUnhealthy(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Reading the room list failed: {Kind} (status {Status}, code {Code}); keeping the last one")]
    public static partial void RoomDirectoryReadFailed(ILogger logger, string kind, int? status, int? code);

    [LoggerMessage(7, LogLevel.Information, "'{Identity}' joined the room '{Room}'")]
    public static partial void JoinedRoom(ILogger logger, string identity, string room);

    [LoggerMessage(8, LogLevel.Information, "'{Identity}' left the room '{Room}'")]
    public static partial void LeftRoom(ILogger logger, string identity, string room);

    [LoggerMessage(9, LogLevel.Information, "'{Identity}' started a private conversation with '{Other}'")]
    public static partial void PrivateConversationStarted(ILogger logger, string identity, string other);

    [LoggerMessage(10, LogLevel.Warning, "{Title} (user '{Identity}'): {Kind} (status {Status}, code {Code})")]
    public static partial void BackendRequestFailed(ILogger logger, string title, string identity, string kind, int? status, int? code);

    [LoggerMessage(20, LogLevel.Critical, "Not started: {Reason}")]
    public static partial void EmulatorStorageRefused(ILogger logger, string reason);

    [LoggerMessage(21, LogLevel.Critical, "Not started: {Reason}")]
    public static partial void SettingsRefused(ILogger logger, string reason);

    [LoggerMessage(40, LogLevel.Critical, "Not started: {Reason}")]
    public static partial void AccountsDatabaseRefused(ILogger logger, string reason);

    [LoggerMessage(41, LogLevel.Warning, "The accounts database ({Database}) failed: {Reason}")]
    public static partial void AccountsDatabaseFailed(ILogger logger, string database, string reason);

    [LoggerMessage(42, LogLevel.Warning, "Unhealthy: {Reason}")]
    public static partial void Unhealthy(ILogger logger, string reason);

    [LoggerMessage(11, LogLevel.Warning, "Chat:SignIn is UsernameOnly: whoever types a name signs in as that user, with no password. For demos and load tests only, never in production.")]
    public static partial void UsernameOnlySignIn(ILogger logger);

    [LoggerMessage(12, LogLevel.Information, "Created the account '{Identity}'")]
    public static partial void AccountCreated(ILogger logger, string identity);

    [LoggerMessage(13, LogLevel.Information, "A sign-in was refused ({Reason})")]
    public static partial void SignInRefused(ILogger logger, string reason);

    [LoggerMessage(14, LogLevel.Information, "'{Identity}' signed out")]
    public static partial void SignedOut(ILogger logger, string identity);

    [LoggerMessage(15, LogLevel.Information, "'{Identity}' added a passkey")]
    public static partial void PasskeyAdded(ILogger logger, string identity);

    [LoggerMessage(16, LogLevel.Information, "'{Identity}' removed a passkey")]
    public static partial void PasskeyRemoved(ILogger logger, string identity);

    [LoggerMessage(43, LogLevel.Information, "Room list: pushed by webhooks to {Url} (moderation of new messages: {Moderated})")]
    public static partial void RoomListPushed(ILogger logger, string url, bool moderated);

    [LoggerMessage(44, LogLevel.Warning, "Room list: read every {Interval}, because {Reason}")]
    public static partial void RoomListPolled(ILogger logger, TimeSpan interval, string reason);

    [LoggerMessage(45, LogLevel.Warning, "A room change could not be passed to the other hosts through PostgreSQL: {Reason}")]
    public static partial void RoomChangeNotReplayed(ILogger logger, string reason);

    [LoggerMessage(46, LogLevel.Warning, "Room changes from the other hosts cannot be heard (PostgreSQL LISTEN), trying again in 5 s: {Reason}")]
    public static partial void RoomChangesNotHeard(ILogger logger, string reason);
}
