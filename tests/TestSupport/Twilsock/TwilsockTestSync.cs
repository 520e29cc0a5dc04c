using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>What twilio-sync does over a <see cref="TwilsockTestClient"/>: subscribing to Sync objects.</summary>
public static class TwilsockTestSync
{
    private static int _nextCorrelation;

    /// <summary>
    /// Subscribes to Sync objects (<c>POST /v4/Subscriptions</c>, as twilio-sync does) and returns, for each, the event
    /// the server confirmed it with: <c>subscription_established</c>, or <c>subscription_failed</c> for an object this
    /// user may not see.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> SubscribeAsync(
        this TwilsockTestClient client, IEnumerable<string> objectSids, CancellationToken cancellationToken)
    {
        var sids = objectSids.ToList();
        var correlation = Interlocked.Increment(ref _nextCorrelation);
        var body = new JsonObject
        {
            ["action"] = "establish",
            ["correlation_id"] = correlation,
            ["requests"] = new JsonArray(sids.Select(sid => (JsonNode)new JsonObject { ["object_sid"] = sid }).ToArray()),
        };
        var reply = await client.RequestAsync("POST", "/v4/Subscriptions", body, cancellationToken);
        if (reply.HttpStatus != 200)
        {
            throw new InvalidOperationException("subscribing answered " + reply.Header.ToJsonString());
        }

        var outcome = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sid in sids)
        {
            var confirmation = await client.WaitForNotificationAsync(
                n => TwilsockTestClient.SyncEvent(n) is ("subscription_established" or "subscription_failed", var e) && (string?)e?["object_sid"] == sid,
                cancellationToken);
            outcome[sid] = TwilsockTestClient.SyncEvent(confirmation).Type!;
        }

        return outcome;
    }
}
