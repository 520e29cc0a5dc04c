using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>
/// The Sync REST the SDK sends over the socket (twilio-sync 4.0.1: <c>client.js _get</c>, <c>synclist.js</c> /
/// <c>syncmap.js _queryItemsFromServer</c>, <c>subscriptions.js</c>): descriptors and item queries here, subscriptions in
/// <see cref="SyncSubscriptionEndpoint"/>.
/// The SDK never writes to Sync: every change goes through Conversations and comes back as Sync events.
/// </summary>
internal sealed class SyncEndpoints(SyncReader reader, SyncEventIds ids, SyncSubscriptionEndpoint subscribing, TimeProvider time)
{
    private static readonly Dictionary<string, SyncObjectKind[]> KindsByCollection = new(StringComparer.Ordinal)
    {
        ["Documents"] = [SyncObjectKind.Channel],
        ["Lists"] = [SyncObjectKind.Messages],
        ["Maps"] = [SyncObjectKind.MyConversations, SyncObjectKind.UserInfo, SyncObjectKind.Roster],
    };

    public TunnelledResponse Handle(TwilsockSession session, TunnelledRequest request, TunnelledPath path)
    {
        var principal = session.Principal!;
        var s = path.Segments;
        if (s is ["v4", "Subscriptions"] && request.Method == "POST")
        {
            return subscribing.Subscribe(session, request.Body);
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
