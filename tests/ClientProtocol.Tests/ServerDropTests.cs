using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// The server ends the connection of Twilio's own @twilio/conversations client, as Twilio's edge does in a deploy or a
/// network failure does (<see cref="EmulatorClientConnections.DropAll"/>), while the conversation changes over REST; the
/// SDK reconnects by itself and nothing is lost or doubled.
/// </summary>
public sealed class ServerDropTests
{
    [Theory]
    // The SDK's connectionStateChanged, from its first connection on (twilsock.js state: a lost socket is "connecting"
    // while it retries; a close frame is "disconnecting" until the socket has closed).
    [InlineData(ClientConnectionDrop.NetworkFailure, new[] { "connecting", "connected", "connecting", "connected" })]
    [InlineData(ClientConnectionDrop.Offload, new[] { "connecting", "connected", "disconnecting", "connecting", "connected" })]
    public async Task DropAll_WhileTheSdkIsSubscribed_ItReconnectsByItself_AndGetsEachChangeOnceInOrder(ClientConnectionDrop how, string[] states)
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice", "bob");
        await PostMessageOverRestAsync(server, room.Sid, "bob", "before the drop");
        var edited = await PostMessageOverRestAsync(server, room.Sid, "bob", "to be edited");
        var deleted = await PostMessageOverRestAsync(server, room.Sid, "bob", "to be deleted");

        await using var probe = await NodeProbe.StartAsync(
            "conversations-server-drop-probe.mjs",
            [server.TwilsockUri.ToString(), await chat.TokenAsync("alice"), room.Sid],
            Ct);
        var ready = await probe.NextAsync("ready");
        Bodies(ready["history"]!).Should().Equal("before the drop", "to be edited", "to be deleted");

        server.ClientConnections.DropAll(how).Should().Be(1, "Alice's is the one connection");
        await probe.NextAsync("down");

        // The SDK's network stays down (the probe holds its new sockets) until these are made: it can only learn of them
        // from the replay when it resubscribes.
        await PostMessageOverRestAsync(server, room.Sid, "bob", "while down 1");
        await PostMessageOverRestAsync(server, room.Sid, "bob", "while down 2");
        using var http = EmulatorClients.Raw(server);
        var messages = $"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages";
        using (var body = new FormUrlEncodedContent([new("Body", "edited while down")]))
        {
            (await http.PostAsync(new Uri($"{messages}/{edited}"), body, Ct)).EnsureSuccessStatusCode();
        }

        (await http.DeleteAsync(new Uri($"{messages}/{deleted}"), Ct)).EnsureSuccessStatusCode();
        await probe.SendAsync("go");

        (await probe.NextAsync("reconnected"))["sockets"]!.GetValue<int>().Should().Be(2, "the SDK opened one new socket by itself");
        await PostMessageOverRestAsync(server, room.Sid, "bob", "after the reconnect");
        await probe.SendAsync("go");
        var events = await probe.FinishAsync();

        ShouldNotHaveFailed(events);
        var seen = One(events, "seen");
        seen["live"]!.AsArray().Select(e => $"{(string)e!["event"]!} {(int)e["index"]!} {(string)e["body"]!}").Should().Equal(
            ["added 3 while down 1", "added 4 while down 2", "updated 1 edited while down", "removed 2 to be deleted", "added 5 after the reconnect"],
            "each change made while the SDK was offline is replayed once, in order, and nothing is doubled");
        seen["history"]!.AsArray().Select(m => $"{(int)m!["index"]!} {(string)m["body"]!}").Should().Equal(
            ["0 before the drop", "1 edited while down", "3 while down 1", "4 while down 2", "5 after the reconnect"],
            "the history the SDK reads agrees with what it was sent");
        // With everything the probe saw: a list that differs once under load says then what the SDK went through.
        seen["states"]!.AsArray().Select(s => (string)s!).Should().Equal(states, string.Join('\n', events));
        seen["sockets"]!.GetValue<int>().Should().Be(2, "no other socket was opened");
    }

    private static IEnumerable<string> Bodies(JsonNode array) => array.AsArray().Select(b => (string)b!);
}
