using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator;

/// <summary>Every log message of the emulator.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Created {Kind} {Sid}")]
    public static partial void Created(ILogger logger, string kind, string sid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status}")]
    public static partial void RestAnswered(ILogger logger, string method, string path, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Injected fault: answering {Status}")]
    public static partial void FaultInjected(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request from {Client}: {Reason}")]
    public static partial void ClientRefused(ILogger logger, string client, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused client request {Method} {Path} of {Identity}: {Status} {Code} {Refusal}")]
    public static partial void ClientRequestRefused(ILogger logger, string method, string path, string identity, int status, int code, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client request {Method} {Path} of {Identity} answered {Status} {Code} {Refusal}")]
    public static partial void ClientRequestFailed(ILogger logger, string method, string path, string identity, int status, int code, string refusal);

    [LoggerMessage(Level = LogLevel.Error, Message = "A Sync event or subscription could not be sent; later ones still are")]
    public static partial void FanoutFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A write could not be made durable and was undone: {Cause}")]
    public static partial void WriteFailed(ILogger logger, string cause, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Emulator state in {File}: {Records} records, schema version {Version}")]
    public static partial void StorageOpened(ILogger logger, string file, int records, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrated {File} from schema version {From} to {To}")]
    public static partial void StorageMigrated(ILogger logger, string file, int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reset: removed {Conversations} conversations, {Users} users and {Roles} roles of its own")]
    public static partial void StateReset(ILogger logger, int conversations, int users, int roles);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed file {File} not applied: the state already holds users or conversations")]
    public static partial void SeedSkipped(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Conversations} conversations, {Users} users, {Roles} roles and {Messages} messages")]
    public static partial void StateSeeded(ILogger logger, int conversations, int users, int roles, int messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot {Name} taken: {Records} records, {MediaFiles} media files")]
    public static partial void SnapshotTaken(ILogger logger, string name, int records, int mediaFiles);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot {Name} restored: {Conversations} conversations, {Users} users, {Messages} messages")]
    public static partial void SnapshotRestored(ILogger logger, string name, int conversations, int users, int messages);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot {Name} on exit could not be taken: {Reason}")]
    public static partial void SnapshotFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} signed out: {Count} client connections closed, tokens issued before refused")]
    public static partial void SignedOut(ILogger logger, string identity, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media: {Count} files no record holds were deleted (uploads cut off, or expired)")]
    public static partial void MediaSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventType} {Method} {Url}: {Outcome} ({Answer}) in {Milliseconds} ms, attempt {Attempt}")]
    public static partial void WebhookDelivery(ILogger logger, string eventType, string method, string url, string outcome, string answer, long milliseconds, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {EventType} to {Url} could not be completed; the lane goes on")]
    public static partial void WebhookFailed(ILogger logger, string eventType, string url, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inspector: {Method} {Part} refused, {Status}: {Refusal}")]
    public static partial void InspectorRefused(ILogger logger, string method, string part, int status, string refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inspector set the faults: 429 rate {TooManyRequestsRate}, 503 rate {ServiceUnavailableRate}, latency {LatencyMilliseconds} ms ±{LatencyJitter}, next {FailNext429} answered 429 and {FailNext503} answered 503, Twilio rate limits {EnforceTwilioRateLimits}")]
    public static partial void InspectorFaultsSet(ILogger logger, double tooManyRequestsRate, double serviceUnavailableRate, double latencyMilliseconds,
        double latencyJitter, int failNext429, int failNext503, bool enforceTwilioRateLimits);
}
