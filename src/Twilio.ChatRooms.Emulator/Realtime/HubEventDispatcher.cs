using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>
/// Sends the hub's events after committed writes, one at a time in the order they were reported, to the live
/// connections of the conversation's participants (SignalR users are identities). Also tracks connections
/// (online state, token expiry) and typing.
/// </summary>
internal sealed partial class HubEventDispatcher : IConversationEvents, IDisposable
{
    public static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(5);

    private readonly IHubContext<ConversationsHub> _hub;
    private readonly IEmulatorStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<HubEventDispatcher> _logger;
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Conversation, string Identity), ITimer> _typing = [];
    private readonly Lock _typingGate = new();
    private readonly ITimer _expiryTimer;

    public HubEventDispatcher(IHubContext<ConversationsHub> hub, IEmulatorStore store, TimeProvider time, ILogger<HubEventDispatcher> logger)
    {
        _hub = hub;
        _store = store;
        _time = time;
        _logger = logger;
        _ = Task.Run(PumpAsync);
        _expiryTimer = time.CreateTimer(_ => CloseExpired(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private sealed record Connection(string Identity, HubCallerContext Context)
    {
        public DateTimeOffset Expires { get; set; }
    }

    // ---------- connections ----------

    public void Connected(HubCallerContext context, string identity, DateTimeOffset expires)
    {
        var wasOnline = IsOnline(identity);
        _connections[context.ConnectionId] = new Connection(identity, context) { Expires = expires };
        if (!wasOnline)
        {
            OnlineChanged(identity);
        }
    }

    public void Disconnected(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var connection) && !IsOnline(connection.Identity))
        {
            OnlineChanged(connection.Identity);
        }
    }

    private void OnlineChanged(string identity)
    {
        var memberships = _store.Read(s => s.Participants.Values.Where(p => p.Identity == identity).ToList());
        foreach (var participant in memberships)
        {
            ParticipantUpdated(participant);
        }
    }

    public void Renewed(string connectionId, DateTimeOffset expires)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.Expires = expires;
        }
    }

    public bool IsOnline(string? identity) => identity is not null && _connections.Values.Any(c => c.Identity == identity);

    private void CloseExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var connection in _connections.Values.Where(c => c.Expires <= now).ToList())
        {
            connection.Context.Abort();
        }
    }

    // ---------- typing ----------

    public void Typing(ParticipantRecord typer)
    {
        var key = (typer.ConversationSid, typer.Identity!);
        bool started;
        lock (_typingGate)
        {
            started = !_typing.Remove(key, out var timer);
            timer?.Dispose();
            _typing[key] = _time.CreateTimer(_ => StopTyping(typer), null, TypingTimeout, Timeout.InfiniteTimeSpan);
        }

        if (started)
        {
            SendTyping("typingStarted", typer);
        }
    }

    public void StopTyping(ParticipantRecord typer)
    {
        var key = (typer.ConversationSid, typer.Identity!);
        lock (_typingGate)
        {
            if (!_typing.Remove(key, out var timer))
            {
                return;
            }

            timer.Dispose();
        }

        SendTyping("typingEnded", typer);
    }

    private void SendTyping(string name, ParticipantRecord typer)
    {
        var others = Recipients(typer.ConversationSid).Where(i => i != typer.Identity).ToList();
        Enqueue(others, name, new HubTyping(typer.ConversationSid, typer.Identity!, typer.Sid));
    }

    // ---------- events from the service layer ----------

    public void ConversationUpdated(ConversationRecord conversation) =>
        Enqueue(Recipients(conversation.Sid), "conversationUpdated", HubModels.Conversation(conversation));

    public void ConversationRemoved(ConversationRecord conversation, IReadOnlyList<ParticipantRecord> formerParticipants) =>
        Enqueue(formerParticipants.Where(p => p.Identity is not null).Select(p => p.Identity!).Distinct().ToList(),
            "conversationRemoved", HubModels.Conversation(conversation));

    public void ParticipantAdded(ParticipantRecord participant)
    {
        var conversation = _store.Read(s => s.Conversations.GetValueOrDefault(participant.ConversationSid));
        if (participant.Identity is not null && conversation is not null)
        {
            Enqueue([participant.Identity], "conversationAdded", HubModels.Conversation(conversation));
        }

        Enqueue(Recipients(participant.ConversationSid), "participantJoined", HubModels.Participant(participant, IsOnline(participant.Identity)));
    }

    public void ParticipantUpdated(ParticipantRecord participant) =>
        Enqueue(Recipients(participant.ConversationSid), "participantUpdated", HubModels.Participant(participant, IsOnline(participant.Identity)));

    public void ParticipantRemoved(ParticipantRecord participant)
    {
        var recipients = Recipients(participant.ConversationSid);
        if (participant.Identity is not null && !recipients.Contains(participant.Identity))
        {
            recipients.Add(participant.Identity);
        }

        Enqueue(recipients, "participantLeft", HubModels.Participant(participant, IsOnline(participant.Identity)));
        var conversation = _store.Read(s => s.Conversations.GetValueOrDefault(participant.ConversationSid));
        if (participant.Identity is not null && conversation is not null)
        {
            Enqueue([participant.Identity], "conversationRemoved", HubModels.Conversation(conversation));
        }
    }

    public void MessageAdded(MessageRecord message) =>
        Enqueue(Recipients(message.ConversationSid), "messageAdded", HubModels.Message(message));

    public void MessageUpdated(MessageRecord message) =>
        Enqueue(Recipients(message.ConversationSid), "messageUpdated", HubModels.Message(message));

    public void MessageRemoved(MessageRecord message) =>
        Enqueue(Recipients(message.ConversationSid), "messageRemoved", HubModels.Message(message));

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _expiryTimer.Dispose();
        lock (_typingGate)
        {
            foreach (var timer in _typing.Values)
            {
                timer.Dispose();
            }

            _typing.Clear();
        }
    }

    private List<string> Recipients(string conversationSid) => _store.Read(s => s.ParticipantsIn(conversationSid)
        .Where(p => p.Identity is not null)
        .Select(p => p.Identity!)
        .Distinct(StringComparer.Ordinal)
        .ToList());

    private void Enqueue(List<string> identities, string name, object argument)
    {
        if (identities.Count > 0)
        {
            _queue.Writer.TryWrite(() => _hub.Clients.Users(identities).SendAsync(name, argument));
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var send in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await send().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // one failed send must not stop the events of everyone else
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSendFailed(_logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a hub event failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
