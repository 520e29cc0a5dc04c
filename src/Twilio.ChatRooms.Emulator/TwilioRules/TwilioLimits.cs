namespace Twilio.ChatRooms.Emulator.TwilioRules;

/// <summary>Twilio's size and count limits (https://www.twilio.com/docs/conversations/conversations-limits).</summary>
internal static class TwilioLimits
{
    public const int MaxParticipants = 1000;
    public const int MaxNonChatParticipants = 50;
    public const int MaxConversationsPerIdentity = 1000;
    public const int MaxFriendlyName = 256;
    public const int MaxUniqueName = 256;
    public const int MaxIdentity = 256;
    public const int MaxConversationAttributes = 16 * 1024;
    public const int MaxAttributes = 4 * 1024;
    public const int MaxBody = 32 * 1024;

    /// <summary>Twilio's documented write limit: actions per second per conversation, and per service for conversations and users.</summary>
    public const int ActionsPerSecond = 30;
}
