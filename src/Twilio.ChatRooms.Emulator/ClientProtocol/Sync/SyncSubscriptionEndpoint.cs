using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// The SDK's <c>POST /v4/Subscriptions</c> (twilio-sync 4.0.1 <c>subscriptions.js</c>): each object is subscribed on its
/// fan-out lane, what the client missed is replayed, and the subscription is confirmed with the id read before the
/// replay, so that no event is lost or overtaken between the client's read and its subscription.
/// </summary>
internal sealed class SyncSubscriptionEndpoint(SyncReader reader, SyncEventIds ids, SyncSubscriptions subscriptions, SyncFanout fanout, TimeProvider time)
{
    /// <summary>
    /// Called with the object's id between a subscription's replay and its confirmation; for tests only, which commit a
    /// change there (the moment no test could otherwise reach).
    /// </summary>
    internal Action<string>? ReplayedBeforeConfirmation { get; set; }

    /// <summary>Answers the request at once and subscribes to each object on its fan-out lane.</summary>
    public TunnelledResponse Subscribe(TwilsockSession session, ReadOnlyMemory<byte> body)
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
        return new TunnelledResponse(200, new JsonObject { ["estimated_delivery_in_ms"] = 5000, ["max_batch_size"] = 100, ["ttl_in_s"] = -1 });
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
}
