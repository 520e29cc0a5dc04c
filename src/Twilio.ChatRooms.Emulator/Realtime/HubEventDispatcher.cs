using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>
/// Sends the hub's events after committed writes, one at a time in the order they were reported, to the live
/// connections of the conversation's participants. Each conversation is a SignalR group of its participants'
/// connections, kept in step with memberships through the same queue as the events, so that a send costs the room's
/// size, not the number of connections. Also tracks connections (online state, token expiry) and typing.
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
    private readonly Dictionary<string, HashSet<string>> _connectionIdsByIdentity = new(StringComparer.Ordinal);
    private readonly Lock _identityGate = new();
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
        _connections[context.ConnectionId] = new Connection(identity, context) { Expires = expires };
        bool wasOnline;
        lock (_identityGate)
        {
            wasOnline = _connectionIdsByIdentity.TryGetValue(identity, out var ids);
            if (ids is null)
            {
                _connectionIdsByIdentity[identity] = ids = new HashSet<string>(StringComparer.Ordinal);
            }

            ids.Add(context.ConnectionId);
        }

        var memberships = Memberships(identity);
        foreach (var participant in memberships)
        {
            var conversationSid = participant.ConversationSid;
            _queue.Writer.TryWrite(() => _hub.Groups.AddToGroupAsync(context.ConnectionId, conversationSid));
        }

        if (!wasOnline)
        {
            OnlineChanged(memberships);
        }
    }

    public void Disconnected(string connectionId)
    {
        // SignalR removes a closed connection from its groups by itself.
        if (!_connections.TryRemove(connectionId, out var connection))
        {
            return;
        }

        bool nowOffline;
        lock (_identityGate)
        {
            var ids = _connectionIdsByIdentity[connection.Identity];
            ids.Remove(connectionId);
            nowOffline = ids.Count == 0;
            if (nowOffline)
            {
                _connectionIdsByIdentity.Remove(connection.Identity);
            }
        }

        if (nowOffline)
        {
            OnlineChanged(Memberships(connection.Identity));
        }
    }

    private List<ParticipantRecord> Memberships(string identity) =>
        _store.Read(s => s.Services.Values.SelectMany(service => s.ParticipantsOf(service.Sid, identity)).ToList());

    private void OnlineChanged(List<ParticipantRecord> memberships)
    {
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

    public bool IsOnline(string? identity)
    {
        if (identity is null)
        {
            return false;
        }

        lock (_identityGate)
        {
            return _connectionIdsByIdentity.ContainsKey(identity);
        }
    }

    private string[] ConnectionIdsOf(string identity)
    {
        lock (_identityGate)
        {
            return _connectionIdsByIdentity.TryGetValue(identity, out var ids) ? [.. ids] : [];
        }
    }

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
        var typing = new HubTyping(typer.ConversationSid, typer.Identity!, typer.Sid);
        _queue.Writer.TryWrite(() => _hub.Clients.GroupExcept(typer.ConversationSid, ConnectionIdsOf(typer.Identity!)).SendAsync(name, typing));
    }

    // ---------- events from the service layer ----------

    public void ConversationUpdated(ConversationRecord conversation) =>
        ToParticipants(conversation.Sid, "conversationUpdated", HubModels.Conversation(conversation));

    public void ConversationRemoved(ConversationRecord conversation, IReadOnlyList<ParticipantRecord> formerParticipants)
    {
        ToParticipants(conversation.Sid, "conversationRemoved", HubModels.Conversation(conversation));
        foreach (var identity in formerParticipants.Where(p => p.Identity is not null).Select(p => p.Identity!).Distinct())
        {
            LeaveGroup(identity, conversation.Sid);
        }
    }

    public void ParticipantAdded(ParticipantRecord participant)
    {
        if (participant.Identity is { } identity)
        {
            var conversation = _store.Read(s => s.Conversations.GetValueOrDefault(participant.ConversationSid));
            if (conversation is not null)
            {
                ToIdentity(identity, "conversationAdded", HubModels.Conversation(conversation));
            }

            _queue.Writer.TryWrite(async () =>
            {
                foreach (var connectionId in ConnectionIdsOf(identity))
                {
                    await _hub.Groups.AddToGroupAsync(connectionId, participant.ConversationSid).ConfigureAwait(false);
                }
            });
        }

        ToParticipants(participant.ConversationSid, "participantJoined", HubModels.Participant(participant, IsOnline(participant.Identity)));
    }

    public void ParticipantUpdated(ParticipantRecord participant) =>
        ToParticipants(participant.ConversationSid, "participantUpdated", HubModels.Participant(participant, IsOnline(participant.Identity)));

    public void ParticipantRemoved(ParticipantRecord participant)
    {
        // Sent while the one who left is still in the group: they are told too.
        ToParticipants(participant.ConversationSid, "participantLeft", HubModels.Participant(participant, IsOnline(participant.Identity)));
        if (participant.Identity is { } identity)
        {
            LeaveGroup(identity, participant.ConversationSid);
            var conversation = _store.Read(s => s.Conversations.GetValueOrDefault(participant.ConversationSid));
            if (conversation is not null)
            {
                ToIdentity(identity, "conversationRemoved", HubModels.Conversation(conversation));
            }
        }
    }

    public void MessageAdded(MessageRecord message) =>
        ToParticipants(message.ConversationSid, "messageAdded", HubModels.Message(message));

    public void MessageUpdated(MessageRecord message) =>
        ToParticipants(message.ConversationSid, "messageUpdated", HubModels.Message(message));

    public void MessageRemoved(MessageRecord message) =>
        ToParticipants(message.ConversationSid, "messageRemoved", HubModels.Message(message));

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

    private void ToParticipants(string conversationSid, string name, object argument) =>
        _queue.Writer.TryWrite(() => _hub.Clients.Group(conversationSid).SendAsync(name, argument));

    private void ToIdentity(string identity, string name, object argument) =>
        _queue.Writer.TryWrite(async () =>
        {
            foreach (var connectionId in ConnectionIdsOf(identity))
            {
                await _hub.Clients.Client(connectionId).SendAsync(name, argument).ConfigureAwait(false);
            }
        });

    private void LeaveGroup(string identity, string conversationSid) =>
        _queue.Writer.TryWrite(async () =>
        {
            foreach (var connectionId in ConnectionIdsOf(identity))
            {
                await _hub.Groups.RemoveFromGroupAsync(connectionId, conversationSid).ConfigureAwait(false);
            }
        });

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
