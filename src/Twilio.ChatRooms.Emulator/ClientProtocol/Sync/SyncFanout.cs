using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// Turns the store's committed changes into the Sync events the SDK turns into its own (messageAdded,
/// participantJoined, conversationUpdated, ...), whoever made the change: the REST API or another SDK. Event
/// ids are taken inside the commit, so a REST read that sees a change also sees its id; the events are built and
/// sent outside the store's lock, each object's in commit order (<see cref="FanoutLanes"/>). Reachability follows the
/// connections. The reader is resolved on first use: it reads the store, which is built with this listener.
/// </summary>
internal sealed class SyncFanout : IChangeListener, IDisposable
{
    private const string ItemsUrl = "https://cds.emulator.invalid/v3";
    private readonly SyncEventIds _ids;
    private readonly SyncSubscriptions _subscriptions;
    private readonly Lazy<SyncReader> _reader;
    private readonly TwilsockSessions _sessions;
    private readonly FanoutLanes _lanes;
    private readonly ConcurrentDictionary<string, long> _latestDocumentEvent = new(StringComparer.Ordinal);

    public SyncFanout(SyncEventIds ids, SyncSubscriptions subscriptions, Lazy<SyncReader> reader, TwilsockSessions sessions, ILogger<SyncFanout> logger)
    {
        _ids = ids;
        _subscriptions = subscriptions;
        _reader = reader;
        _sessions = sessions;
        sessions.Opened += (_, p) => Reachability(p, opened: true);
        sessions.Closed += (session, p) =>
        {
            subscriptions.Forget(session);
            Reachability(p, opened: false);
        };
        _lanes = new FanoutLanes(logger);
    }

    public void Committed(EmulatorEvent change)
    {
        switch (change)
        {
            case MessageAdded(var m):
                ListItem("list_item_added", m);
                DocumentUpdated(m.ConversationSid);
                break;
            case MessageUpdated(var m):
                ListItem("list_item_updated", m);
                break;
            case MessageRemoved(var m):
                ListItem("list_item_removed", m);
                break;
            case ParticipantAdded(var p, _):
                Membership("map_item_added", p);
                break;
            case ParticipantUpdated(var p):
                Membership("map_item_updated", p);
                break;
            case ParticipantRemoved(var p, _):
                Membership("map_item_removed", p);
                EndSubscriptions(p);
                break;
            case ConversationUpdated(var c):
                DocumentUpdated(c.Sid);
                break;
            case UserUpdated(var u):
                // user.updateFriendlyName / updateAttributes and REST: every SDK subscribed to the user sees userUpdated.
                foreach (var (key, data) in SyncData.UserInfo(u, u.Identity, online: false).Where(i => i.Key != "reachability"))
                {
                    MapItem(SyncNames.UserInfo(u.ServiceSid, u.Identity), "map_item_updated", key, data);
                }

                break;
            case ConversationRemoved(var c, var former):
                var id = _ids.Next(SyncNames.Channel(c.Sid));
                Queue(SyncNames.Channel(c.Sid), () => _subscriptions.Publish(SyncNames.Channel(c.Sid), "document_removed", new JsonObject { ["document_sid"] = SyncNames.Channel(c.Sid), ["id"] = id }));
                foreach (var p in former.Where(p => p.Identity is not null))
                {
                    MapItem(SyncNames.MyConversations(p.ServiceSid, p.Identity!), "map_item_removed", c.Sid, SyncData.Membership(p));
                }

                break;
        }
    }

    public void Dispose() => _lanes.Dispose();

    private void ListItem(string eventType, MessageRecord m)
    {
        var list = SyncNames.Messages(m.ConversationSid);
        var id = eventType == "list_item_removed" ? _ids.NextRemoval(list, m.Index) : _ids.Next(list, m.Index);
        Queue(list, () => _subscriptions.Publish(list, eventType, w =>
        {
            w.WriteString("list_sid", list);
            w.WriteNumber("item_index", m.Index);
            w.WriteString("item_url", $"{ItemsUrl}/Lists/{list}/Items/{m.Index}");
            w.WriteNumber("id", id);
            w.WriteString("item_revision", id.ToString(CultureInfo.InvariantCulture));
            w.WritePropertyName("item_data");
            SyncData.WriteMessage(w, m);
            w.WriteString("date_created", TwilioFormat.Date(m.DateCreated));
        }));
    }

    private void Membership(string eventType, ParticipantRecord p)
    {
        MapItem(SyncNames.Roster(p.ConversationSid), eventType, p.Sid, SyncData.Participant(p));
        if (p.Identity is not null)
        {
            MapItem(SyncNames.MyConversations(p.ServiceSid, p.Identity), eventType, p.ConversationSid, SyncData.Membership(p));
        }
    }

    private void MapItem(string map, string eventType, string key, JsonObject data)
    {
        var id = eventType == "map_item_removed" ? _ids.NextRemoval(map, key) : _ids.Next(map, key);
        Queue(map, () => _subscriptions.Publish(map, eventType, new JsonObject
        {
            ["map_sid"] = map,
            ["item_key"] = key,
            ["item_url"] = $"{ItemsUrl}/Maps/{map}/Items/{Uri.EscapeDataString(key)}",
            ["id"] = id,
            ["item_revision"] = id.ToString(CultureInfo.InvariantCulture),
            ["item_data"] = data,
            ["date_created"] = data["dateCreated"]?.DeepClone() ?? data["dateUpdated"]?.DeepClone(),
        }));
    }

    /// <summary>
    /// A removed participant's subscriptions to the conversation's objects end on each object's lane, behind the events
    /// committed before the removal (the roster's own removal included) and ahead of any after it: the conversation no
    /// longer exists for them (Twilio's SDK, told by its conversations map, unsubscribes by itself; one that does not is
    /// sent nothing more either).
    /// </summary>
    private void EndSubscriptions(ParticipantRecord p)
    {
        if (p.Identity is not { } identity)
        {
            return;
        }

        foreach (var objectSid in new[] { SyncNames.Channel(p.ConversationSid), SyncNames.Messages(p.ConversationSid), SyncNames.Roster(p.ConversationSid) })
        {
            Queue(objectSid, () => _subscriptions.CancelIdentity(objectSid, p.ServiceSid, identity));
        }
    }

    /// <summary>
    /// The document's <c>lastMessage</c> is what the SDK's <c>conversation.lastMessage</c> and its conversationUpdated
    /// (reason lastMessage) come from, so every message updates it. The SDK replaces its whole copy with the data, read
    /// when the event is sent: of several updates of one document waiting here only the last is sent (its data holds
    /// every change before it; the SDK keeps the newest id), and none is built while nobody subscribed to it.
    /// </summary>
    private void DocumentUpdated(string conversationSid)
    {
        var document = SyncNames.Channel(conversationSid);
        var id = _ids.Next(document);
        _latestDocumentEvent[document] = id;
        Queue(document, () =>
        {
            if (!_latestDocumentEvent.TryRemove(KeyValuePair.Create(document, id)) || !_subscriptions.HasSubscribers(document))
            {
                return; // a later update is queued behind this one, or nobody would receive it
            }

            if (_reader.Value.DocumentForEvent(conversationSid) is { } data)
            {
                _subscriptions.Publish(document, "document_updated", new JsonObject
                {
                    ["document_sid"] = document,
                    ["id"] = id,
                    ["document_revision"] = id.ToString(CultureInfo.InvariantCulture),
                    ["document_data"] = data,
                    ["date_created"] = data["dateUpdated"]?.DeepClone(),
                });
            }
        });
    }

    /// <summary>A user comes online with their first connection and goes offline with their last.</summary>
    private void Reachability(TwilsockPrincipal p, bool opened)
    {
        var online = _sessions.IsOnline(p.ServiceSid, p.Identity);
        if (online != opened || (opened && _sessions.ForIdentity(p.ServiceSid, p.Identity).Count > 1))
        {
            return;
        }

        var map = SyncNames.UserInfo(p.ServiceSid, p.Identity);
        MapItem(map, "map_item_updated", "reachability", new JsonObject { ["online"] = online, ["notifiable"] = false });
    }

    /// <summary>
    /// Runs <paramref name="action"/> once every event of <paramref name="objectSid"/> committed so far has been sent,
    /// and before any committed later: a subscription to it and its replay, so that no live event overtakes what is
    /// replayed.
    /// </summary>
    public void AfterPendingEvents(string objectSid, Action action) => Queue(objectSid, action);

    /// <summary>Builds and sends an event of <paramref name="objectSid"/> on its lane, after what was queued for it before.</summary>
    private void Queue(string objectSid, Action send) => _lanes.Queue(objectSid, send);
}
