using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>
/// Sends the hub's events after committed writes, one at a time in the order they were reported, to the live
/// connections of the conversation's participants. Each conversation is a SignalR group of its participants'
/// connections, kept in step with memberships through the same queue as the events, so that a send costs the room's
/// size, not the number of connections. Also tracks connections (online state, token expiry) and typing. Everything it
/// sends comes from the committed events and from what the hub hands it; it never reads the store.
/// </summary>
internal sealed class HubEventDispatcher : IChangeListener, IDisposable
{
    private readonly IHubContext<ConversationsHub> _hub;
    private readonly TimeProvider _time;
    private readonly ILogger<HubEventDispatcher> _logger;
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _connectionIdsByIdentity = new(StringComparer.Ordinal);
    private readonly Lock _identityGate = new();
    private readonly TypingIndicators _typing;
    private readonly ITimer _expiryTimer;

    public HubEventDispatcher(IHubContext<ConversationsHub> hub, TimeProvider time, ILogger<HubEventDispatcher> logger)
    {
        _hub = hub;
        _time = time;
        _logger = logger;
        _typing = new TypingIndicators(time, SendTyping);
        _ = Task.Run(PumpAsync);
        _expiryTimer = time.CreateTimer(_ => CloseExpired(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private sealed record Connection(string Identity, HubCallerContext Context)
    {
        public DateTimeOffset Expires { get; set; }
    }

    // ---------- connections ----------

    /// <summary>A connection of <paramref name="identity"/> opened; <paramref name="memberships"/> are its participants now.</summary>
    public void Connected(HubCallerContext context, string identity, DateTimeOffset expires, IReadOnlyList<ParticipantRecord> memberships)
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

    /// <summary>A connection closed; <paramref name="memberships"/> gives the identity's participants, asked only when it goes offline.</summary>
    public void Disconnected(string connectionId, Func<IReadOnlyList<ParticipantRecord>> memberships)
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
            OnlineChanged(memberships());
        }
    }

    private void OnlineChanged(IReadOnlyList<ParticipantRecord> memberships)
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

    public void Typing(ParticipantRecord typer) => _typing.Typing(typer);

    public void StopTyping(ParticipantRecord typer) => _typing.Stop(typer);

    private void SendTyping(string name, ParticipantRecord typer)
    {
        var typing = new HubTyping(typer.ConversationSid, typer.Identity!, typer.Sid);
        _queue.Writer.TryWrite(() => _hub.Clients.GroupExcept(typer.ConversationSid, ConnectionIdsOf(typer.Identity!)).SendAsync(name, typing));
    }

    // ---------- committed changes ----------

    public void Committed(EmulatorEvent change)
    {
        switch (change)
        {
            case ConversationUpdated e:
                ToParticipants(e.Conversation.Sid, "conversationUpdated", HubModels.Conversation(e.Conversation));
                break;
            case ConversationRemoved e:
                ToParticipants(e.Conversation.Sid, "conversationRemoved", HubModels.Conversation(e.Conversation));
                foreach (var identity in e.FormerParticipants.Where(p => p.Identity is not null).Select(p => p.Identity!).Distinct())
                {
                    LeaveGroup(identity, e.Conversation.Sid);
                }

                break;
            case ParticipantAdded e:
                ParticipantAdded(e.Participant, e.Conversation);
                break;
            case ParticipantUpdated e:
                ParticipantUpdated(e.Participant);
                break;
            case ParticipantRemoved e:
                ParticipantRemoved(e.Participant, e.Conversation);
                break;
            case MessageAdded e:
                ToParticipants(e.Message.ConversationSid, "messageAdded", HubModels.Message(e.Message));
                break;
            case MessageUpdated e:
                ToParticipants(e.Message.ConversationSid, "messageUpdated", HubModels.Message(e.Message));
                break;
            case MessageRemoved e:
                ToParticipants(e.Message.ConversationSid, "messageRemoved", HubModels.Message(e.Message));
                break;
            default:
                break;
        }
    }

    private void ParticipantAdded(ParticipantRecord participant, ConversationRecord conversation)
    {
        if (participant.Identity is { } identity)
        {
            ToIdentity(identity, "conversationAdded", HubModels.Conversation(conversation));
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

    private void ParticipantUpdated(ParticipantRecord participant) =>
        ToParticipants(participant.ConversationSid, "participantUpdated", HubModels.Participant(participant, IsOnline(participant.Identity)));

    private void ParticipantRemoved(ParticipantRecord participant, ConversationRecord conversation)
    {
        // Sent while the one who left is still in the group: they are told too.
        ToParticipants(participant.ConversationSid, "participantLeft", HubModels.Participant(participant, IsOnline(participant.Identity)));
        if (participant.Identity is { } identity)
        {
            LeaveGroup(identity, participant.ConversationSid);
            ToIdentity(identity, "conversationRemoved", HubModels.Conversation(conversation));
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _expiryTimer.Dispose();
        _typing.Dispose();
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
                Log.HubSendFailed(_logger, e);
            }
        }
    }
}
