using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// A participant removed from a conversation loses it on the wire, not only in their client: the conversation "does
/// not exist" for a non-participant, so the subscriptions they held to its objects end and not one more event of it
/// reaches them, even from a client that never gives them up (here the test's raw twilsock client, which does what
/// twilio-sync does but ignores the removal).
/// </summary>
public sealed class RemovedParticipantTests
{
    [Theory]
    [InlineData("removed over REST")]
    [InlineData("leaves over the socket")]
    public async Task RemovedParticipant_WhoKeepsItsSubscriptions_IsSentNothingMoreOfTheConversation(string how)
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice", "bob");
        await using var bob = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, await chat.TokenAsync("bob"), Ct);
        string[] objects = [room.Sid + ".channel", room.Sid + ".messages", room.Sid + ".roster"];
        (await bob.SubscribeAsync(objects, Ct)).Values.Should().AllBe("subscription_established");
        await PostMessageOverRestAsync(server, room.Sid, "alice", "before bob was removed");
        await bob.WaitForNotificationAsync(n => TwilsockTestClient.SyncEvent(n) is ("list_item_added", _), Ct);

        if (how == "removed over REST")
        {
            await chat.Provisioner.LeaveRoomAsync("bob", "general", Ct);
        }
        else
        {
            var left = await bob.RequestAsync("DELETE", $"/Client/v2/Services/{server.DefaultServiceSid}/Conversations/{room.Sid}/Participants/bob", null, Ct);
            left.HttpStatus.Should().Be(200, left.Payload?.ToJsonString());
        }

        await PostMessageOverRestAsync(server, room.Sid, "alice", "after bob was removed");
        using (var http = EmulatorClients.Raw(server))
        using (var rename = new FormUrlEncodedContent([new("FriendlyName", "renamed after bob was removed")]))
        {
            (await http.PostAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}"), rename, Ct)).EnsureSuccessStatusCode();
        }

        // Subscribing again runs on each object's fan-out lane behind the events above: once refused, anything those
        // events sent Bob is already in his socket, ahead of the refusals.
        // (The refusal is waited for by name: the helper would take the first confirmation of each object, long past.)
        _ = bob.SubscribeAsync(objects, Ct);
        foreach (var sid in objects)
        {
            await bob.WaitForNotificationAsync(n => TwilsockTestClient.SyncEvent(n) is ("subscription_failed", var e) && (string?)e?["object_sid"] == sid, Ct);
        }

        var seen = bob.Notifications.Select(n => n.Payload?.ToJsonString() ?? "").ToList();
        seen.Should().Contain(p => p.Contains("before bob was removed", StringComparison.Ordinal), "Bob's subscriptions delivered before the removal");
        seen.Should().NotContain(p => p.Contains("after bob was removed", StringComparison.Ordinal), "neither the message nor the rename after the removal reaches Bob");
        var messageEvents = bob.Notifications.Select(TwilsockTestClient.SyncEvent).Where(e => (string?)e.Event?["list_sid"] == objects[1]).ToList();
        messageEvents.Should().ContainSingle("only the message before the removal").Which.Type.Should().Be("list_item_added");
    }
}
