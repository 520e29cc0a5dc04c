using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Chat;

/// <summary>
/// Typing is not Sync: each typing POST becomes a <c>twilio.ipmsg.typing_indicator</c> notification to the other
/// participants' connections, and the SDK raises typingStarted, then typingEnded after the timeout or at the typer's
/// next message, by itself (services/typing-indicator.js). The typer is not told: the SDK does not filter itself out.
/// </summary>
internal sealed class ChatTyping(ParticipantRules participants, TwilsockSessions sessions)
{
    public const string MessageType = "twilio.ipmsg.typing_indicator";

    /// <summary>Seconds a typing indicator lasts without another (Twilio's default, and the SDK's).</summary>
    public const int TimeoutSeconds = 5;

    public void Started(ParticipantRecord typer)
    {
        var notification = new TwilsockNotification(MessageType,
            new JsonObject { ["channel_sid"] = typer.ConversationSid, ["identity"] = typer.Identity, ["typing_timeout"] = TimeoutSeconds });
        foreach (var other in participants.List(typer.ServiceSid, typer.ConversationSid))
        {
            if (other.Identity is null || other.Identity == typer.Identity)
            {
                continue;
            }

            foreach (var session in sessions.ForIdentity(typer.ServiceSid, other.Identity))
            {
                session.Notify(notification);
            }
        }
    }
}
