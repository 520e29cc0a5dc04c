using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>What a twilsock connection logs: refusals and drops as one line each, failures with their exception.</summary>
internal static partial class TwilsockLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "twilsock connection initialised for {Identity}")]
    public static partial void Initialised(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock {Frame} refused: {ErrorCode} {Reason}")]
    public static partial void TokenRefused(ILogger logger, string frame, int errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock frame dropped: {Reason}")]
    public static partial void FrameDropped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock connection of {Identity} had {Count} more unreadable frames, dropped")]
    public static partial void MoreFramesDropped(ILogger logger, string identity, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock connection closed: a frame larger than {Limit} bytes before init")]
    public static partial void FrameTooLargeBeforeInit(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock connection of {Identity} closed: a frame still incomplete after {Timeout}")]
    public static partial void FrameTimedOut(ILogger logger, string identity, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock init refused for {Identity}: {Limit} connections open already")]
    public static partial void TooManyConnections(ILogger logger, string identity, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock frame refused: larger than {Limit} bytes")]
    public static partial void FrameTooLarge(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "twilsock connection of {Identity} closed: more than {Limit} frames waiting for it")]
    public static partial void TooFarBehind(ILogger logger, string? identity, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} twilsock connections as asked ({How})")]
    public static partial void Dropped(ILogger logger, int count, ClientConnectionDrop how);

    [LoggerMessage(Level = LogLevel.Information, Message = "twilsock connection failed: {Reason}")]
    public static partial void SocketFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "twilsock request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);
}
