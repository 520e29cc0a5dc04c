using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// Records as stored: one JSON row per record, with its kind, SID and (for messages) parent conversation. Reading is
/// strict: a missing or null required field, a SID of the wrong kind or a row that disagrees with its JSON is refused.
/// </summary>
internal static class StoredRecords
{
    /// <summary>The kinds in the order they load: parents before children.</summary>
    public static readonly IReadOnlyList<string> LoadOrder =
    [
        EmulatorState.ServiceKind, EmulatorState.RoleKind, EmulatorState.UserKind, EmulatorState.ConversationKind,
        EmulatorState.ParticipantKind, EmulatorState.MessageKind, EmulatorState.MediaKind, EmulatorState.WebhookConfigKind,
        EmulatorState.WebhookKind, EmulatorState.WebhookDeliveryKind,
    ];

    public static string Serialize(IRecord record) => record switch
    {
        ServiceRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ServiceRecord),
        RoleRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.RoleRecord),
        UserRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.UserRecord),
        ConversationRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ConversationRecord),
        ParticipantRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ParticipantRecord),
        MessageRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.MessageRecord),
        SmsRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.SmsRecord),
        MediaRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.MediaRecord),
        WebhookConfigRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.WebhookConfigRecord),
        ConversationWebhookRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ConversationWebhookRecord),
        WebhookDeliveryRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.WebhookDeliveryRecord),
        _ => throw new InvalidOperationException($"Cannot store a {record.GetType().Name}"),
    };

    /// <summary>The kind a record is stored under.</summary>
    public static string KindOf(IRecord record) => record switch
    {
        ServiceRecord => EmulatorState.ServiceKind,
        RoleRecord => EmulatorState.RoleKind,
        UserRecord => EmulatorState.UserKind,
        ConversationRecord => EmulatorState.ConversationKind,
        ParticipantRecord => EmulatorState.ParticipantKind,
        MessageRecord => EmulatorState.MessageKind,
        SmsRecord => EmulatorState.SmsKind,
        MediaRecord => EmulatorState.MediaKind,
        WebhookConfigRecord => EmulatorState.WebhookConfigKind,
        ConversationWebhookRecord => EmulatorState.WebhookKind,
        WebhookDeliveryRecord => EmulatorState.WebhookDeliveryKind,
        _ => throw new InvalidOperationException($"Cannot store a {record.GetType().Name}"),
    };

    /// <summary>The parent column: a message's conversation.</summary>
    public static string? Parent(IRecord record) => (record as MessageRecord)?.ConversationSid;

    /// <summary>Reads one row; throws <see cref="InvalidDataException"/> saying what is wrong with it.</summary>
    public static IRecord Read(string kind, string sid, string? parent, string json)
    {
        IRecord record = kind switch
        {
            EmulatorState.ServiceKind => Deserialize(json, StoreJsonContext.Default.ServiceRecord),
            EmulatorState.RoleKind => Deserialize(json, StoreJsonContext.Default.RoleRecord),
            EmulatorState.UserKind => Deserialize(json, StoreJsonContext.Default.UserRecord),
            EmulatorState.ConversationKind => Deserialize(json, StoreJsonContext.Default.ConversationRecord),
            EmulatorState.ParticipantKind => Deserialize(json, StoreJsonContext.Default.ParticipantRecord),
            EmulatorState.MessageKind => Deserialize(json, StoreJsonContext.Default.MessageRecord),
            EmulatorState.SmsKind => Deserialize(json, StoreJsonContext.Default.SmsRecord),
            EmulatorState.MediaKind => Deserialize(json, StoreJsonContext.Default.MediaRecord),
            EmulatorState.WebhookConfigKind => Deserialize(json, StoreJsonContext.Default.WebhookConfigRecord),
            EmulatorState.WebhookKind => Deserialize(json, StoreJsonContext.Default.ConversationWebhookRecord),
            EmulatorState.WebhookDeliveryKind => Deserialize(json, StoreJsonContext.Default.WebhookDeliveryRecord),
            _ => throw new InvalidDataException($"unknown record kind '{kind}'"),
        };
        if (record.Sid != sid)
        {
            throw new InvalidDataException($"the row's SID is {sid} but its JSON says {record.Sid}");
        }

        var prefix = kind switch
        {
            EmulatorState.ServiceKind => "IS",
            EmulatorState.RoleKind => "RL",
            EmulatorState.UserKind => "US",
            EmulatorState.ConversationKind => "CH",
            EmulatorState.ParticipantKind => "MB",
            EmulatorState.MessageKind => "IM",
            EmulatorState.MediaKind => "ME",
            EmulatorState.WebhookConfigKind => sid.StartsWith("IS", StringComparison.Ordinal) ? "IS" : "AC",   // a service's, or the account's
            EmulatorState.WebhookKind => "WH",
            EmulatorState.WebhookDeliveryKind => "WD",
            _ => "SM",
        };
        if (!sid.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"a {kind} SID starts with {prefix}, not as {sid} does");
        }

        if (kind != EmulatorState.SmsKind && parent != Parent(record))
        {
            throw new InvalidDataException($"the row's parent is '{parent}' but its JSON says '{Parent(record)}'");
        }

        return record;
    }

    private static T Deserialize<T>(string json, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("the record is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"its JSON is not a valid {typeof(T).Name.Replace("Record", "", StringComparison.Ordinal).ToLowerInvariant()}: {e.Message}", e);
        }
    }
}

// Strict reading: required constructor parameters must be present and non-nullable ones non-null, so a record missing a
// field is refused as it loads instead of failing every later write.
[JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ServiceRecord))]
[JsonSerializable(typeof(RoleRecord))]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(ConversationRecord))]
[JsonSerializable(typeof(ParticipantRecord))]
[JsonSerializable(typeof(MessageRecord))]
[JsonSerializable(typeof(SmsRecord))]
[JsonSerializable(typeof(MediaRecord))]
[JsonSerializable(typeof(WebhookConfigRecord))]
[JsonSerializable(typeof(ConversationWebhookRecord))]
[JsonSerializable(typeof(WebhookDeliveryRecord))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
