using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>
/// Who is typing where: <c>typingStarted</c> on the first <see cref="Typing"/>, <c>typingEnded</c> after
/// <see cref="Timeout"/> without another, or at once on <see cref="Stop"/> (the typer sent their message).
/// </summary>
internal sealed class TypingIndicators(TimeProvider time, Action<string, ParticipantRecord> send) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(string Conversation, string Identity), ITimer> _typing = [];
    private readonly Lock _gate = new();

    public void Typing(ParticipantRecord typer)
    {
        var key = (typer.ConversationSid, typer.Identity!);
        bool started;
        lock (_gate)
        {
            started = !_typing.Remove(key, out var timer);
            timer?.Dispose();
            _typing[key] = time.CreateTimer(_ => Stop(typer), null, Timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }

        if (started)
        {
            send("typingStarted", typer);
        }
    }

    public void Stop(ParticipantRecord typer)
    {
        lock (_gate)
        {
            if (!_typing.Remove((typer.ConversationSid, typer.Identity!), out var timer))
            {
                return;
            }

            timer.Dispose();
        }

        send("typingEnded", typer);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _typing.Values)
            {
                timer.Dispose();
            }

            _typing.Clear();
        }
    }
}
