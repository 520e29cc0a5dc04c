using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator;

/// <summary>Every log message of the emulator.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Created {Kind} {Sid}")]
    public static partial void Created(ILogger logger, string kind, string sid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status}")]
    public static partial void RestRequest(ILogger logger, string method, string path, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Injected fault: answering {Status}")]
    public static partial void FaultInjected(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request from {Client}: {Reason}")]
    public static partial void ClientRefused(ILogger logger, string client, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused hub call {Method} of {Identity}: {Refusal}")]
    public static partial void HubCallRefused(ILogger logger, string method, string identity, string refusal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {Method} of {Identity} failed")]
    public static partial void HubCallFailed(ILogger logger, string method, string identity, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a hub event failed")]
    public static partial void HubSendFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A write could not be made durable and was undone: {Cause}")]
    public static partial void WriteFailed(ILogger logger, string cause, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Emulator state in {File}: {Records} records, schema version {Version}")]
    public static partial void StorageOpened(ILogger logger, string file, int records, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrated {File} from schema version {From} to {To}")]
    public static partial void StorageMigrated(ILogger logger, string file, int from, int to);
}
