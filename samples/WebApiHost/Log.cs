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

    [LoggerMessage(4, LogLevel.Warning, "Login of '{Identity}' failed: {Kind} (status {Status}, code {Code})")]
    public static partial void LoginFailed(ILogger logger, string identity, string kind, int? status, int? code);

    [LoggerMessage(5, LogLevel.Warning, "The back end is unreachable: {Reason}")]
    public static partial void BackendUnhealthy(ILogger logger, string reason);
}
