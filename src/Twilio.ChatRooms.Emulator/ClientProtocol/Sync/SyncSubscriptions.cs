using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>Which connections subscribed to which Sync object, and the one way to push a Sync event to them.</summary>
internal sealed class SyncSubscriptions
{
    /// <summary>The message type of strictly ordered Sync events (twilio-sync <c>client.js _routeMessage</c>).</summary>
    public const string EventMessageType = "twilio.sync.event";

    // An array per object, replaced on each change: publishing, by far the most frequent, walks it without locks.
    private readonly ConcurrentDictionary<string, ImmutableArray<TwilsockSession>> _byObject = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TwilsockSession, ImmutableHashSet<string>> _bySession = new();

    public void Subscribe(TwilsockSession session, string objectSid)
    {
        _byObject.AddOrUpdate(objectSid, _ => [session], (_, sessions) => sessions.Contains(session) ? sessions : sessions.Add(session));
        _bySession.AddOrUpdate(session, _ => [objectSid], (_, set) => set.Add(objectSid));
    }

    public void Cancel(TwilsockSession session, string objectSid)
    {
        _byObject.AddOrUpdate(objectSid, _ => [], (_, sessions) => sessions.Remove(session));
        _bySession.AddOrUpdate(session, _ => [], (_, set) => set.Remove(objectSid));
    }

    /// <summary>
    /// Ends every subscription of one user's connections to <paramref name="objectSid"/>: a participant removed from a
    /// conversation is sent nothing more of it, whatever their client does.
    /// </summary>
    public void CancelIdentity(string objectSid, string serviceSid, string identity)
    {
        if (!_byObject.TryGetValue(objectSid, out var sessions))
        {
            return;
        }

        foreach (var session in sessions)
        {
            if (session.Principal is { } p && p.Identity == identity && p.ServiceSid == serviceSid)
            {
                Cancel(session, objectSid);
            }
        }
    }

    /// <summary>Forgets a closed connection.</summary>
    public void Forget(TwilsockSession session)
    {
        if (_bySession.TryRemove(session, out var objects))
        {
            foreach (var objectSid in objects)
            {
                _byObject.AddOrUpdate(objectSid, _ => [], (_, sessions) => sessions.Remove(session));
            }
        }
    }

    /// <summary>How many Sync objects <paramref name="session"/> is subscribed to now.</summary>
    public int CountFor(TwilsockSession session) => _bySession.TryGetValue(session, out var objects) ? objects.Count : 0;

    /// <summary>Whether any connection subscribed to <paramref name="objectSid"/>: an event nobody receives need not be built.</summary>
    public bool HasSubscribers(string objectSid) => _byObject.TryGetValue(objectSid, out var sessions) && !sessions.IsDefaultOrEmpty;

    /// <summary>Sends one Sync event, its body a tree of nodes, to every subscriber of <paramref name="objectSid"/>.</summary>
    public void Publish(string objectSid, string eventType, JsonObject body) => Publish(objectSid, eventType, w =>
    {
        foreach (var (name, value) in body)
        {
            w.WritePropertyName(name);
            if (value is null)
            {
                w.WriteNullValue();
            }
            else
            {
                value.WriteTo(w);
            }
        }
    });

    /// <summary>
    /// Sends one Sync event to every subscriber of <paramref name="objectSid"/>, its body written by
    /// <paramref name="writeBody"/> (the properties only), and only when someone subscribed: the way of the events
    /// every message causes, which skips building a tree of nodes for each.
    /// </summary>
    public void Publish(string objectSid, string eventType, Action<Utf8JsonWriter> writeBody)
    {
        if (!_byObject.TryGetValue(objectSid, out var sessions) || sessions.IsDefaultOrEmpty)
        {
            return;
        }

        var payload = JsonBytes.Write((eventType, writeBody), static (writer, e) =>
        {
            writer.WriteStartObject();
            writer.WriteString("event_type", e.eventType);
            writer.WriteStartObject("event");
            e.writeBody(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        // One producer span per event sent out, a child of the write that caused it (FanoutLanes.Cause).
        using var activity = EmulatorTelemetry.Source.StartActivity(ActivityKind.Producer, FanoutLanes.Cause, name: $"send {Destination(objectSid)}");
        if (activity is not null)
        {
            activity.SetTag("messaging.system", EmulatorTelemetry.MessagingSystem);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", eventType);
            activity.SetTag("messaging.destination.name", Destination(objectSid));
            activity.SetTag("chatrooms.sync.object_type", ObjectType(objectSid));
            activity.SetTag("chatrooms.subscribers", sessions.Length);
        }

        var notification = new TwilsockNotification(EventMessageType, payload); // serialized once: every subscriber's frame shares it
        foreach (var session in sessions)
        {
            session.Notify(notification);
        }
    }

    /// <summary>
    /// A span's destination: the conversation a conversation's object belongs to (its SID), or the kind of a user's
    /// object, whose name encodes the identity and is not written to a span.
    /// </summary>
    private static string Destination(string objectSid) =>
        objectSid.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? objectSid[..dot] : ObjectType(objectSid);

    private static string ObjectType(string objectSid) => objectSid switch
    {
        _ when objectSid.EndsWith(".messages", StringComparison.Ordinal) => "messages",
        _ when objectSid.EndsWith(".roster", StringComparison.Ordinal) => "roster",
        _ when objectSid.EndsWith(".channel", StringComparison.Ordinal) => "conversation",
        _ when objectSid.StartsWith("MC", StringComparison.Ordinal) => "user_conversations",
        _ when objectSid.StartsWith("UI", StringComparison.Ordinal) => "user_info",
        _ => "other",
    };

    /// <summary>Sends one Sync event to a single connection in answer to its request (subscription confirmations, replays).</summary>
    public static void Send(TwilsockSession session, string eventType, JsonObject body, long? correlationId = null)
    {
        var payload = new JsonObject { ["event_type"] = eventType, ["event"] = body };
        if (correlationId is { } id)
        {
            payload["correlation_id"] = id;
        }

        session.NotifyInAnswer(EventMessageType, payload);
    }
}
