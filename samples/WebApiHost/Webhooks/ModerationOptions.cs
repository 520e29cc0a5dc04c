namespace WebApiHost.Webhooks;

/// <summary>The <c>Chat:Moderation</c> section: what the host's pre-event webhook refuses.</summary>
internal sealed class ModerationOptions
{
    public const string Section = "Chat:Moderation";

    /// <summary>
    /// Words a message may not contain (whole words, any case): a message that holds one is refused before it is stored
    /// (Twilio's <c>onMessageAdd</c> pre-event webhook), and the sender is told. Empty by default: nothing is refused.
    /// </summary>
    public IReadOnlyList<string> BlockedWords { get; set; } = [];
}
