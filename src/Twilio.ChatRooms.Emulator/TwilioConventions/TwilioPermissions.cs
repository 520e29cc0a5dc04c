namespace Twilio.ChatRooms.Emulator.TwilioConventions;

/// <summary>Twilio's role permissions and the permissions of its four default roles.</summary>
internal static class TwilioPermissions
{
    public const string ServiceType = "service";
    public const string ConversationType = "conversation";

    public static readonly IReadOnlyList<string> Service =
    [
        "createConversation", "joinConversation", "deleteConversation", "addParticipant", "removeParticipant",
        "editConversationAttributes", "editOwnUserInfo", "editAnyUserInfo",
    ];

    public static readonly IReadOnlyList<string> Conversation =
    [
        "sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage", "editOwnMessageAttributes",
        "deleteOwnMessage", "editAnyMessage", "editAnyMessageAttributes", "deleteAnyMessage", "addParticipant",
        "removeParticipant", "editConversationName", "editConversationAttributes", "editNotificationLevel",
    ];

    /// <summary>"service user", the default role of a new user.</summary>
    public static readonly IReadOnlyList<string> ServiceUser = ["createConversation", "joinConversation", "editOwnUserInfo"];

    /// <summary>"channel user", the default role of a new participant.</summary>
    public static readonly IReadOnlyList<string> ChannelUser =
        ["sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage", "editNotificationLevel"];

    public const string CreateConversation = "createConversation";
    public const string DeleteConversation = "deleteConversation";
    public const string AddParticipant = "addParticipant";
    public const string RemoveParticipant = "removeParticipant";
    public const string EditConversationName = "editConversationName";
    public const string EditConversationAttributes = "editConversationAttributes";
    public const string SendMessage = "sendMessage";
    public const string SendMediaMessage = "sendMediaMessage";
    public const string JoinConversation = "joinConversation";
    public const string LeaveConversation = "leaveConversation";

    public const string EditNotificationLevel = "editNotificationLevel";

    public static string EditMessage(bool own) => own ? "editOwnMessage" : "editAnyMessage";

    /// <summary>Changing only a message's attributes (a reaction) is its own permission, apart from editing its body.</summary>
    public static string EditMessageAttributes(bool own) => own ? "editOwnMessageAttributes" : "editAnyMessageAttributes";

    /// <summary>A user's own friendly name and attributes, or anyone's (service role).</summary>
    public static string EditUserInfo(bool own) => own ? "editOwnUserInfo" : "editAnyUserInfo";

    public static string DeleteMessage(bool own) => own ? "deleteOwnMessage" : "deleteAnyMessage";
}
