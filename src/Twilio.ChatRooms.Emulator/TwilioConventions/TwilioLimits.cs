namespace Twilio.ChatRooms.Emulator.TwilioConventions;

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

    /// <summary>"Any media file type of up to 150MB is supported between chat-based participants" (the limits page).</summary>
    public const long MaxMediaSize = 150L * 1024 * 1024;

    /// <summary>
    /// Files per message. Not documented for Conversations' chat; 10 is Twilio's limit for media in one message
    /// elsewhere (error 21623, and Flex's email channel), and what the emulator's configuration tells the SDK.
    /// </summary>
    public const int MaxMediaPerMessage = 10;

    /// <summary>How long a temporary content URL works. Twilio's are signed storage URLs; 300 s is the emulator's reading, not confirmed.</summary>
    public static readonly TimeSpan TemporaryContentUrlLifetime = TimeSpan.FromSeconds(300);

    /// <summary>How long an uploaded file no message holds is kept (the emulator's own choice: Twilio documents none).</summary>
    public static readonly TimeSpan UnattachedMediaLifetime = TimeSpan.FromHours(24);

    /// <summary>Twilio's documented write limit: actions per second per conversation, and per service for conversations and users.</summary>
    public const int ActionsPerSecond = 30;
}
