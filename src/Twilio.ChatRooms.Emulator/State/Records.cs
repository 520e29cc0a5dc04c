namespace Twilio.ChatRooms.Emulator.State;

/// <summary>A stored record: every one has a SID, unique within its kind.</summary>
internal interface IRecord
{
    string Sid { get; }
}

/// <summary>A conversation service.</summary>
internal sealed record ServiceRecord(string Sid, string FriendlyName, DateTimeOffset DateCreated,
    string DefaultServiceRoleSid, string DefaultConversationRoleSid, string DefaultConversationCreatorRoleSid) : IRecord;

/// <summary>A role; <see cref="Type"/> is <c>service</c> or <c>conversation</c>.</summary>
internal sealed record RoleRecord(long Seq, string Sid, string ServiceSid, string FriendlyName, string Type,
    IReadOnlyList<string> Permissions, DateTimeOffset DateCreated, DateTimeOffset DateUpdated) : IRecord;

/// <summary>A Conversations user.</summary>
internal sealed record UserRecord(long Seq, string Sid, string ServiceSid, string Identity, string? FriendlyName,
    string Attributes, string RoleSid, DateTimeOffset DateCreated, DateTimeOffset DateUpdated) : IRecord;

/// <summary>A conversation; <see cref="NextMessageIndex"/> only grows.</summary>
internal sealed record ConversationRecord(long Seq, string Sid, string ServiceSid, string? FriendlyName, string? UniqueName,
    string Attributes, string State, DateTimeOffset DateCreated, DateTimeOffset DateUpdated, int NextMessageIndex,
    string? CreatedBy = null) : IRecord;

/// <summary>
/// A participant: a chat identity or a messaging binding (address and proxy address). <see cref="NotificationLevel"/> is
/// the user's own setting for the conversation (<c>muted</c>; null is Twilio's <c>default</c>).
/// </summary>
internal sealed record ParticipantRecord(long Seq, string Sid, string ServiceSid, string ConversationSid, string? Identity,
    string Attributes, string? RoleSid, string? BindingAddress, string? ProxyAddress, DateTimeOffset DateCreated,
    DateTimeOffset DateUpdated, int? LastReadMessageIndex, DateTimeOffset? LastReadTimestamp, string? NotificationLevel = null) : IRecord
{
    /// <summary>The notification level as Twilio names it: <c>default</c> or <c>muted</c>.</summary>
    public string NotificationLevelOrDefault => NotificationLevel ?? "default";
}

/// <summary>
/// A message; <see cref="Media"/> describes its attached files (null: none); <see cref="LastUpdatedBy"/> is the chat user
/// who changed it last (null: unchanged, or changed over REST).
/// </summary>
internal sealed record MessageRecord(string Sid, string ServiceSid, string ConversationSid, int Index, string Author,
    string? Body, string Attributes, string? ParticipantSid, DateTimeOffset DateCreated, DateTimeOffset DateUpdated,
    IReadOnlyList<MessageMedia>? Media = null, string? LastUpdatedBy = null, DeliverySummary? Delivery = null) : IRecord;

/// <summary>
/// Twilio's aggregated delivery receipt of a message (its <c>delivery</c>): how many non-chat participants it went to,
/// and for each status whether none, some or all of them have it. Null for a chat-only message.
/// </summary>
internal sealed record DeliverySummary(int Total, DeliveryAmount Sent, DeliveryAmount Delivered, DeliveryAmount Read,
    DeliveryAmount Undelivered, DeliveryAmount Failed);

/// <summary>How many of a message's non-chat participants have a status: Twilio's <c>none</c>, <c>some</c>, <c>all</c>.</summary>
internal enum DeliveryAmount : byte
{
    None,
    Some,
    All,
}

/// <summary>One file of a message, as the message shows it (a copy of its <see cref="MediaRecord"/>, which never changes).</summary>
internal sealed record MessageMedia(string Sid, string ContentType, string? Filename, long Size, string Category);

/// <summary>
/// A file uploaded to the media service: who uploaded it (<see cref="Author"/>, a chat identity, or <c>system</c> for
/// the account) and, once a message holds it, that message. The bytes are kept by an <c>IMediaContent</c>.
/// </summary>
internal sealed record MediaRecord(string Sid, string ServiceSid, string ContentType, string? Filename, long Size, string Category,
    string Author, DateTimeOffset DateCreated, string? ConversationSid = null, string? MessageSid = null) : IRecord;

/// <summary>
/// A text the emulator would have sent to an SMS participant: a message added to its conversation by someone else.
/// <see cref="To"/> is the participant's address, <see cref="From"/> its proxy address.
/// </summary>
internal sealed record SmsRecord(string Sid, string To, string From, string? Body, string ConversationSid, string MessageSid,
    int MessageIndex, string Author, DateTimeOffset DateCreated) : IRecord;
