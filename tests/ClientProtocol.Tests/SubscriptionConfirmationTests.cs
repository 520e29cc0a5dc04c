using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.Emulator.ClientProtocol.Sync;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.TestSupport;

namespace ClientProtocol.Tests;

/// <summary>
/// A subscription confirms an event id that the client has everything up to: a message committed while the replay
/// was being confirmed, and lost with the connection before it went out live, still comes with the next
/// resubscription from the confirmed id (twilio-sync resubscribes with the id it was confirmed, or any later it saw).
/// </summary>
public sealed class SubscriptionConfirmationTests
{
    [Fact]
    public async Task MessageCommittedWhileConfirming_AndLostWithTheConnection_IsReplayedOnTheNextSubscription()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice");
        await SdkTestKit.PostMessageOverRestAsync(server, room.Sid, "alice", "replayed");
        var list = room.Sid + ".messages";
        var endpoints = server.Services.GetRequiredService<SyncSubscriptionEndpoint>();
        var messages = server.Services.GetRequiredService<MessageRules>();
        var committed = 0;
        endpoints.ReplayedBeforeConfirmation = sid =>
        {
            if (sid == list && Interlocked.Exchange(ref committed, 1) == 0)
            {
                messages.Create(Actor.Account, server.DefaultServiceSid, room.Sid, "alice", "committed while confirming", null);
            }
        };
        var token = await chat.TokenAsync("alice");

        long confirmed;
        await using (var first = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, token, Ct))
        {
            confirmed = await SubscribeAsync(first, list, since: 0);
        } // the connection ends here, whether the live event had arrived or not: it is lost on purpose

        endpoints.ReplayedBeforeConfirmation = null;
        await using var second = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, token, Ct);
        await SubscribeAsync(second, list, confirmed);

        var replayed = second.Notifications.Select(TwilsockTestClient.SyncEvent)
            .Where(e => e.Type == "list_item_added").Select(e => (string)e.Event!["item_data"]!["text"]!).ToList();
        replayed.Should().Contain("committed while confirming", "the confirmed id was not past an event the client had not been sent");
    }

    /// <summary>Subscribes to <paramref name="sid"/> from <paramref name="since"/>, as twilio-sync does, and returns the confirmed id.</summary>
    private static async Task<long> SubscribeAsync(TwilsockTestClient client, string sid, long since)
    {
        var body = new JsonObject
        {
            ["action"] = "establish",
            ["correlation_id"] = 7,
            ["requests"] = new JsonArray(new JsonObject { ["object_sid"] = sid, ["object_type"] = "list", ["last_event_id"] = since }),
        };
        (await client.RequestAsync("POST", "/v4/Subscriptions", body, Ct)).HttpStatus.Should().Be(200);
        var established = await client.WaitForNotificationAsync(n => TwilsockTestClient.SyncEvent(n) is ("subscription_established", _), Ct);
        return TwilsockTestClient.SyncEvent(established).Event!["last_event_id"]!.GetValue<long>();
    }
}
