using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// The Sync REST the SDK sends over the socket (twilio-sync 4.0.1: <c>client.js _get</c>, <c>synclist.js</c> /
/// <c>syncmap.js _queryItemsFromServer</c>, <c>subscriptions.js</c>): descriptors, item queries and subscriptions.
/// The SDK never writes to Sync: every change goes through Conversations and comes back as Sync events.
/// </summary>
internal sealed class SyncEndpoints(SyncReader reader, SyncEventIds ids, SyncSubscriptions subscriptions, SyncFanout fanout, TimeProvider time)
{
    private static readonly Dictionary<string, SyncObjectKind[]> KindsByCollection = new(StringComparer.Ordinal)
    {
        ["Documents"] = [SyncObjectKind.Channel],
        ["Lists"] = [SyncObjectKind.Messages],
        ["Maps"] = [SyncObjectKind.MyConversations, SyncObjectKind.UserInfo, SyncObjectKind.Roster],
    };

    /// <summary>
    /// Called with the object's id between a subscription's replay and its confirmation; for tests only, which commit a
    /// change there (the moment no test could otherwise reach).
    /// </summary>
    internal Action<string>? ReplayedBeforeConfirmation { get; set; }

    public TunnelledResponse Handle(TwilsockSession session, TunnelledRequest request, TunnelledPath path)
    {
        var principal = session.Principal!;
        var s = path.Segments;
        if (s is ["v4", "Subscriptions"] && request.Method == "POST")
        {
            return Subscribe(session, request.Body);
        }

        if (s is ["v3", "Lists"] && request.Method == "POST" && IsSdk1Session(request.Body))
        {
            // @twilio/conversations 1.x opens a command session (a Sync list of this purpose) that 2.x and 3.x replaced
            // with REST; it is not emulated. Its Client.create rejects with this message (twilio-sync treats a 4xx as
            // fatal), rather than waiting on a session that never opens.
            return TunnelledResponse.Error(404, TwilioErrors.NotFoundCode, Sdk1NotServed);
        }

        if (s.Count is < 3 or > 4 || s[0] != "v3" || request.Method != "GET" || !KindsByCollection.TryGetValue(s[1], out var kinds)
            || !SyncNames.TryParse(s[2], out var parsed) || !kinds.Contains(parsed.Value.Kind) || (s.Count == 4 && s[3] != "Items"))
        {
            return NotFound(request.Path);
        }

        var o = parsed.Value;
        var id = SyncNames.Of(o);
        if (o.Kind == SyncObjectKind.Channel)
        {
            return reader.Document(principal, o.Key) is { } data && s.Count == 3
                ? Ok(Descriptor(path, s[1], id, includeItemsLink: false, data))
                : NotFound(request.Path);
        }

        if (s.Count == 3)
        {
            // A descriptor needs the items only when asked to include them.
            var include = Query(request, "Include") == "items";
            var all = include ? reader.Items(principal, o) : null;
            if (include ? all is null : !reader.IsVisible(principal, o))
            {
                return NotFound(request.Path);
            }

            var descriptor = Descriptor(path, s[1], id, includeItemsLink: true, data: null);
            if (all is not null)
            {
                descriptor["items"] = new JsonArray(all.Select(i => (JsonNode)Item(path, s[1], id, i)).ToArray());
            }

            return Ok(descriptor);
        }

        return Page(request, principal, o) is { } page ? Ok(PageBody(path, s[1], id, page)) : NotFound(request.Path);
    }

    /// <summary>An item query: one item by <c>Index</c> or <c>Key</c>, or a page <c>From</c> (inclusive) in <c>Order</c>.</summary>
    private SyncPage? Page(TunnelledRequest request, TwilsockPrincipal principal, SyncObject o)
    {
        if (Query(request, o.Kind == SyncObjectKind.Messages ? "Index" : "Key") is { } one)
        {
            return reader.Single(principal, o, one);
        }

        var descending = string.Equals(Query(request, "Order"), "desc", StringComparison.OrdinalIgnoreCase);
        var size = int.TryParse(Query(request, "PageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 100) : 50;
        return reader.Page(principal, o, Query(request, "From"), descending, size);
    }

    private static JsonObject PageBody(TunnelledPath path, string collection, string id, SyncPage page) => new()
    {
        ["items"] = new JsonArray(page.Items.Select(i => (JsonNode)Item(path, collection, id, i)).ToArray()),
        ["meta"] = new JsonObject { ["previous_token"] = page.HasPrevious ? "PT" : null, ["next_token"] = page.HasNext ? "NT" : null },
    };

    private TunnelledResponse Subscribe(TwilsockSession session, ReadOnlyMemory<byte> body)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(body.Span) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return TunnelledResponse.Error(400, TwilioErrors.InvalidParameter, "The subscription request is not a JSON object");
        }

        // A field of the wrong type is the client's error (400), not the emulator's (a 500 logged at Error).
        var entries = (request["requests"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (request["action"] is { } a && a.GetValueKind() != JsonValueKind.String
            || entries.Any(e => e["object_sid"] is not JsonValue sidValue || sidValue.GetValueKind() != JsonValueKind.String))
        {
            return TunnelledResponse.Error(400, TwilioErrors.InvalidParameter, "The subscription request needs a string action and a string object_sid in each request");
        }

        var action = TwilsockFrame.StringOf(request, "action");
        var correlation = request["correlation_id"] is JsonValue c && c.TryGetValue(out long cid) ? cid : 0;
        var principal = session.Principal!;

        // Each object on its fan-out lane, between the events sent for it: each event committed before is in the replay
        // and none is sent live ahead of it, each one after comes live behind it (a replayed one again, with its id: the
        // SDK keeps it once). Subscribing here and replaying at once would let a live event overtake the replay.
        foreach (var entry in entries)
        {
            fanout.AfterPendingEvents(TwilsockFrame.StringOf(entry, "object_sid")!, () => Establish(session, principal, action, entry, correlation));
        }

        // The SDK re-establishes when no confirmation arrives within this; the confirmations are on their way.
        return Ok(new JsonObject { ["estimated_delivery_in_ms"] = 5000, ["max_batch_size"] = 100, ["ttl_in_s"] = -1 });
    }

    /// <summary>Subscribes the connection to one object (or cancels), replays what it missed, and confirms.</summary>
    private void Establish(TwilsockSession session, TwilsockPrincipal principal, string? action, JsonObject entry, long correlation)
    {
        var sid = TwilsockFrame.StringOf(entry, "object_sid")!;
        if (action == "cancel")
        {
            subscriptions.Cancel(session, sid);
            SyncSubscriptions.Send(session, "subscription_canceled", new JsonObject { ["object_sid"] = sid }, correlation);
            return;
        }

        var since = entry["last_event_id"] is JsonValue l && l.TryGetValue(out long known) ? known : long.MaxValue;

        // The subscription confirms the object's newest event id from before the replay read anything: every event up
        // to it is in the replay (or the client had it), and each one after it is replayed too or comes live behind the
        // confirmation. The newest id read after the replay may name an event committed meanwhile, neither replayed nor
        // sent yet: a client whose connection drops before it arrives would resubscribe past it and never get it.
        var confirmed = ids.OfObject(sid);
        subscriptions.Subscribe(session, sid);
        var visible = SyncNames.TryParse(sid, out var o) && Replay(session, principal, o.Value, sid, since);
        ReplayedBeforeConfirmation?.Invoke(sid);
        if (!visible)
        {
            subscriptions.Cancel(session, sid);
            SyncSubscriptions.Send(session, "subscription_failed", new JsonObject
            {
                ["object_sid"] = sid,
                ["error"] = new JsonObject { ["status"] = 404, ["code"] = TwilioErrors.NotFoundCode, ["message"] = "The object does not exist" },
            }, correlation);
            return;
        }

        SyncSubscriptions.Send(session, "subscription_established", new JsonObject
        {
            ["object_sid"] = sid,
            ["replay_status"] = "completed",
            ["last_event_id"] = confirmed,
        }, correlation);
    }

    /// <summary>
    /// Sends what changed after <paramref name="since"/> (the id the SDK last saw), so that nothing committed between
    /// its read and its subscription, or while it was offline, is missed, removals included (as far back as
    /// <see cref="SyncEventIds.TombstonesPerObject"/> go), in event order. False when the object is not there for this
    /// principal.
    /// </summary>
    private bool Replay(TwilsockSession session, TwilsockPrincipal principal, SyncObject o, string sid, long since)
    {
        if (o.Kind == SyncObjectKind.Channel)
        {
            if (reader.Document(principal, o.Key) is not { } data)
            {
                return false;
            }

            var documentId = ids.OfObject(sid);
            if (documentId > since)
            {
                SyncSubscriptions.Send(session, "document_updated", new JsonObject
                {
                    ["document_sid"] = sid, ["id"] = documentId, ["document_revision"] = documentId.ToString(CultureInfo.InvariantCulture), ["document_data"] = data,
                    ["date_created"] = data["dateUpdated"]?.DeepClone(),
                });
            }

            return true;
        }

        // Only what changed after the client's id is read: nothing when the object did not change since, the items
        // the event ids name when the client's id is from this run, every item only for an id from before it.
        if (since >= ids.OfObject(sid))
        {
            return reader.IsVisible(principal, o);
        }

        var changed = ids.ItemsChangedAfter(sid, since);
        if ((changed is null ? reader.Items(principal, o) : reader.ItemsWithKeys(principal, o, changed)) is not { } items)
        {
            return false;
        }

        var isList = o.Kind == SyncObjectKind.Messages;
        var removals = ids.RemovedSince(sid, since);
        var next = 0;
        void RemovalsBefore(long eventId)
        {
            for (; next < removals.Count && removals[next].EventId < eventId; next++)
            {
                var removal = removals[next];
                var body = new JsonObject
                {
                    [isList ? "list_sid" : "map_sid"] = sid, ["id"] = removal.EventId, ["date_created"] = TwilioFormat.Date(TwilioFormat.Now(time)),
                };
                body[isList ? "item_index" : "item_key"] = isList ? removal.Index : removal.Key;
                SyncSubscriptions.Send(session, isList ? "list_item_removed" : "map_item_removed", body);
            }
        }

        foreach (var item in items.Where(i => i.LastEventId > since).OrderBy(i => i.LastEventId))
        {
            RemovalsBefore(item.LastEventId);
            var body = new JsonObject
            {
                [isList ? "list_sid" : "map_sid"] = sid,
                ["id"] = item.LastEventId,
                ["item_revision"] = item.LastEventId.ToString(CultureInfo.InvariantCulture),
                ["item_data"] = item.Data,
                ["date_created"] = item.Data["dateUpdated"]?.DeepClone(),
            };
            if (isList)
            {
                body["item_index"] = item.Index;
            }
            else
            {
                body["item_key"] = item.Key;
            }

            SyncSubscriptions.Send(session, isList ? "list_item_added" : "map_item_added", body);
        }

        RemovalsBefore(long.MaxValue);
        return true;
    }

    private JsonObject Descriptor(TunnelledPath path, string collection, string id, bool includeItemsLink, JsonObject? data)
    {
        var last = ids.OfObject(id);
        var descriptor = new JsonObject
        {
            ["sid"] = id,
            ["unique_name"] = id,
            ["url"] = path.Url("v3", collection, id),
            ["revision"] = last.ToString(CultureInfo.InvariantCulture),
            ["last_event_id"] = last,
            ["date_updated"] = TwilioFormat.Date(TwilioFormat.Now(time)),
            ["date_expires"] = null,
        };
        if (includeItemsLink)
        {
            descriptor["links"] = new JsonObject { ["items"] = path.Url("v3", collection, id, "Items") };
        }

        if (data is not null)
        {
            descriptor["data"] = data;
        }

        return descriptor;
    }

    private static JsonObject Item(TunnelledPath path, string collection, string objectId, SyncItem item)
    {
        var json = new JsonObject
        {
            ["url"] = path.Url("v3", collection, objectId, "Items", item.Key),
            ["revision"] = item.LastEventId.ToString(CultureInfo.InvariantCulture),
            ["last_event_id"] = item.LastEventId,
            ["date_updated"] = item.Data["dateUpdated"]?.DeepClone(),
            ["date_expires"] = null,
            ["data"] = item.Data,
        };
        if (item.Index is { } index)
        {
            json["index"] = index;
        }
        else
        {
            json["key"] = item.Key;
        }

        return json;
    }

    private static string? Query(TunnelledRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static TunnelledResponse Ok(JsonObject body) => new(200, body);

    /// <summary>What an app on @twilio/conversations 1.x is told, in its Client.create's rejection and the emulator's log.</summary>
    internal const string Sdk1NotServed = "@twilio/conversations 1.x is not served by the Conversations emulator: its session "
        + "protocol (a Sync list of purpose com.twilio.rtd.ipmsg) is not emulated. Use @twilio/conversations 2.x or 3.x.";

    private static bool IsSdk1Session(ReadOnlyMemory<byte> body)
    {
        try
        {
            return body.Length > 0 && JsonNode.Parse(body.Span) is JsonObject o && o["purpose"] is JsonValue v
                && v.TryGetValue(out string? purpose) && purpose == "com.twilio.rtd.ipmsg";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static TunnelledResponse NotFound(string path) => TunnelledResponse.Error(404, TwilioErrors.NotFoundCode, $"The requested resource {path} was not found");
}
