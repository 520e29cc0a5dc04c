using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// One state, two faces: the library sets rooms and users up over the emulator's REST API, exactly as it does on
/// Twilio, and Twilio's own @twilio/conversations client, changed in nothing but its Twilsock.uri, connects to the
/// emulator's twilsock endpoint and chats.
/// </summary>
public sealed class ConversationsSdkTests
{
    [Fact]
    public async Task TwoSdkClients_LoadRoomsAndHistory_AndSeeEachOthersTypingAndMessages()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var general = await chat.RoomWithAsync("general", "alice", "bob");
        await PostMessageOverRestAsync(server, general.Sid, "bob", "sent over REST before anyone connected");

        var events = await RunProbeAsync(server, "conversations-probe.mjs", [await chat.TokenAsync("alice"), await chat.TokenAsync("bob"), general.Sid]);

        string Dump() => string.Join('\n', events);
        events.Should().Contain(e => (string)e["event"]! == "state" && (string)e["state"]! == "initialized" && (string)e["who"]! == "bob", Dump());
        var subscribed = One(events, "subscribed")["conversations"]!.AsArray();
        subscribed.Select(c => (string)c!["friendlyName"]!).Should().Equal("general");
        subscribed[0]!["status"]!.GetValue<string>().Should().Be("joined");
        One(events, "history")["bodies"]!.AsArray().Select(b => (string)b!).Should().Equal("sent over REST before anyone connected");
        One(events, "participants")["identities"]!.AsArray().Select(i => (string)i!).Should().Equal("alice", "bob");
        One(events, "typingStarted")["identity"]!.GetValue<string>().Should().Be("alice");
        var added = One(events, "messageAdded");
        added["body"]!.GetValue<string>().Should().Be("hello from alice");
        added["author"]!.GetValue<string>().Should().Be("alice");
        added["index"]!.GetValue<int>().Should().Be(One(events, "sent")["index"]!.GetValue<int>());
    }

    [Fact]
    public async Task SdkClients_SeeRestChangesEditsDeletesAndTheirReadHorizon_PageBackThroughHistory_AndKeepAThirdUserOut()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice", "bob");
        await chat.Admin.CreateRoomAsync("random", Ct);
        await chat.Provisioner.ProvisionAsync("carol", Ct);
        await chat.Provisioner.LeaveRoomAsync("carol", "general", Ct);
        for (var i = 0; i < 75; i++)
        {
            await PostMessageOverRestAsync(server, room.Sid, "bob", $"history {i}");
        }

        var events = await RunProbeAsync(
            server, "conversations-changes-probe.mjs",
            [
                await chat.TokenAsync("alice"), await chat.TokenAsync("bob"), await chat.TokenAsync("carol"),
                room.Sid,
                $"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages",
                EmulatorClients.Basic(server.Credentials).Parameter!,
            ]);

        var pages = One(events, "pages")["pages"]!.AsArray().Select(p => p!.AsArray().Select(i => i!.GetValue<int>()).ToList()).ToList();
        pages.Select(p => p.Count).Should().Equal(30, 30, 15);
        pages.SelectMany(p => p).Order().Should().Equal(Enumerable.Range(0, 75), "every message once, none doubled or missing");
        One(events, "restPost")["status"]!.GetValue<int>().Should().Be(201);
        One(events, "restMessageAdded")["body"]!.GetValue<string>().Should().Be("from REST");
        One(events, "bobEditsAlice")["ok"]!.GetValue<bool>().Should().BeFalse("the participant role may edit only its own messages");
        var edited = One(events, "messageUpdated");
        edited["body"]!.GetValue<string>().Should().Be("final text");
        edited["index"]!.GetValue<int>().Should().Be(edited["sent"]!.GetValue<int>());
        One(events, "messageRemoved")["index"]!.GetValue<int>().Should().Be(edited["sent"]!.GetValue<int>());
        One(events, "unreadBefore")["count"].Should().BeNull("as on Twilio, a participant without a read horizon has no unread count");
        One(events, "unreadAfter")["count"]!.GetValue<int>().Should().Be(0);
        One(events, "carolSubscribed")["sids"]!.AsArray().Select(s => (string)s!).Should().NotContain(room.Sid);
        One(events, "carolGets")["ok"]!.GetValue<bool>().Should().BeFalse();
        One(events, "carolPeeks")["ok"]!.GetValue<bool>().Should().BeFalse();

        // Nothing Bob tried changed Alice's words, and Carol left no trace.
        var participants = await chat.Admin.ListParticipantsAsync("general", Ct).Select(p => p.Identity).ToListAsync(Ct);
        participants.Should().BeEquivalentTo(["alice", "bob"]);
    }

    [Fact]
    public async Task SdkClient_WhoseSocketDies_ReconnectsByItself_AndGetsWhatItMissedOnce_RemovalsIncluded()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice", "bob");

        var events = await RunProbeAsync(
            server, "conversations-reconnect-probe.mjs",
            [
                await chat.TokenAsync("alice"),
                room.Sid,
                $"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages",
                EmulatorClients.Basic(server.Credentials).Parameter!,
            ]);

        One(events, "reconnected")["sockets"]!.GetValue<int>().Should().BeGreaterThan(1, "the SDK opened a new socket by itself");
        var seen = One(events, "seen");
        One(events, "deletedOffline")["status"]!.GetValue<int>().Should().Be(204);
        seen["live"]!.AsArray().Select(b => (string)b!).Should().Equal(
            ["before the cut", "deleted while offline", "while offline", "after the reconnect"], "the message sent while offline is replayed once, in order");
        seen["removed"]!.AsArray().Select(b => (string)b!).Should().Equal(["deleted while offline"], "the removal made while offline is replayed once");
        seen["history"]!.AsArray().Select(b => (string)b!).Should().Equal("before the cut", "while offline", "after the reconnect");
    }

    [Fact]
    public async Task SdkClient_CreatesAndJoinsAConversation_IsHeldToItsRoles_AndLeaves_WhileAThirdUserCannotGetIt()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var basic = EmulatorClients.Basic(server.Credentials).Parameter!;
        var rest = $"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations";

        // No provisioning: each user is created on first connection with the service's default role, which may create
        // and join conversations, as on Twilio. The creator joins with the service's conversation-creator role (channel
        // admin); cut to a channel user's permissions here, it grants neither adding nor renaming.
        using (var cut = EmulatorClients.Raw(server))
        {
            var v1 = server.BaseAddress.ToString().TrimEnd('/') + "/v1";
            var roles = JsonNode.Parse(await cut.GetStringAsync(new Uri($"{v1}/Roles"), Ct))!["roles"]!.AsArray();
            var channelUser = roles.Single(r => (string)r!["friendly_name"]! == "channel user")!;
            var channelAdmin = roles.Single(r => (string)r!["friendly_name"]! == "channel admin")!;
            using var form = new FormUrlEncodedContent(channelUser["permissions"]!.AsArray().Select(p => new KeyValuePair<string, string>("Permission", (string)p!)));
            using var response = await cut.PostAsync(new Uri($"{v1}/Roles/{(string)channelAdmin["sid"]!}"), form, Ct);
            response.EnsureSuccessStatusCode();
        }

        var events = await RunProbeAsync(
            server, "conversations-membership-probe.mjs",
            [
                await chat.TokenAsync("alice"), await chat.TokenAsync("bob"),
                await chat.TokenAsync("carol"), rest, basic,
            ]);

        string Dump() => string.Join('\n', events);
        var created = One(events, "created");
        created["createdBy"]!.GetValue<string>().Should().Be("alice");
        created["friendlyName"]!.GetValue<string>().Should().Be("book club");
        created["status"]!.GetValue<string>().Should().Be("notParticipating", "the creator joins with join(), as on Twilio");
        One(events, "joined")["status"]!.GetValue<string>().Should().Be("joined");
        foreach (var refused in new[] { "aliceAddsBob", "aliceRenames", "carolGets" })
        {
            One(events, refused)["ok"]!.GetValue<bool>().Should().BeFalse($"{refused}: {Dump()}");
        }

        One(events, "restAdd")["status"]!.GetValue<int>().Should().Be(201);
        One(events, "messageAdded")["body"]!.GetValue<string>().Should().Be("hello book club");
        var bobLeft = One(events, "bobLeft");
        bobLeft["seenByAlice"]!.GetValue<string>().Should().Be("bob");
        bobLeft["status"]!.GetValue<string>().Should().Be("notParticipating");
        One(events, "aliceLeft")["subscribed"]!.AsArray().Should().BeEmpty();

        // REST sees the same state: the conversation as created (the refused rename changed nothing), no participants,
        // Bob's message.
        using var http = EmulatorClients.Raw(server);
        var sid = created["sid"]!.GetValue<string>();
        var conversation = JsonNode.Parse(await http.GetStringAsync(new Uri($"{rest}/{sid}"), Ct))!;
        conversation["friendly_name"]!.GetValue<string>().Should().Be("book club");
        conversation["unique_name"]!.GetValue<string>().Should().Be("book-club");
        JsonNode.Parse(conversation["attributes"]!.GetValue<string>())!["topic"]!.GetValue<string>().Should().Be("novels");
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{rest}/{sid}/Participants"), Ct))!["participants"]!.AsArray().Should().BeEmpty();
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{rest}/{sid}/Messages"), Ct))!["messages"]!.AsArray()
            .Select(m => (string)m!["body"]!).Should().Equal("hello book club");
    }

    [Fact]
    public async Task SdkClient_WhoseRolesGrantIt_AddsRenamesAndDeletes_AndTheOtherParticipantSeesEach()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var basic = EmulatorClients.Basic(server.Credentials).Parameter!;
        var v1 = server.BaseAddress.ToString().TrimEnd('/') + "/v1";
        using var http = EmulatorClients.Raw(server);
        var roles = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Roles"), Ct))!["roles"]!.AsArray();
        async Task GrantAsync(string roleName, params string[] extra)
        {
            var role = roles.Single(r => (string)r!["friendly_name"]! == roleName)!;
            var permissions = role["permissions"]!.AsArray().Select(p => (string)p!).Concat(extra);
            using var form = new FormUrlEncodedContent(permissions.Select(p => new KeyValuePair<string, string>("Permission", p)));
            using var response = await http.PostAsync(new Uri($"{v1}/Roles/{(string)role["sid"]!}"), form, Ct);
            response.EnsureSuccessStatusCode();
        }

        await GrantAsync("service user", "deleteConversation");
        await GrantAsync("channel user", "addParticipant", "editConversationName");

        var events = await RunProbeAsync(
            server, "conversations-membership-probe.mjs",
            [
                await chat.TokenAsync("alice"), await chat.TokenAsync("bob"),
                await chat.TokenAsync("carol"), $"{v1}/Conversations", basic, "granted",
            ]);

        One(events, "renamed")["seenByBob"]!.GetValue<string>().Should().Be("reading group");
        One(events, "deleted")["seenByBob"]!.GetValue<bool>().Should().BeTrue();
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Conversations"), Ct))!["conversations"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task SdkClient_AskingForPushAndMedia_IsAnswered_AndKeepsChatting()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice");

        var events = await RunProbeAsync(server, "conversations-unserved-probe.mjs", [await chat.TokenAsync("alice"), room.Sid]);

        One(events, "push")["ok"]!.GetValue<bool>().Should().BeTrue("push registrations are accepted and ignored");
        One(events, "media")["ok"]!.GetValue<bool>().Should().BeTrue("the emulator serves media (MediaSdkTests)");
        One(events, "text")["ok"]!.GetValue<bool>().Should().BeTrue();
        One(events, "connection")["state"]!.GetValue<string>().Should().Be("connected");
        using var http = EmulatorClients.Raw(server);
        var messages = JsonNode.Parse(await http.GetStringAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages"), Ct))!;
        messages["messages"]!.AsArray().Select(m => (string?)m!["body"]).Should().Equal([null, "still connected"], "a message of a file alone has no body");
    }

    [Fact]
    public async Task SdkClient_UnderALowQueueBound_SubscribesToManyObjectsAtOnce_AndChats()
    {
        // Thirty rooms: the SDK subscribes to some ninety objects in a few requests, and the confirmations answer each
        // request at once. They do not count against the bound on pushed events (4 here), so it is not dropped (when
        // they counted, it was in most runs, and reconnected).
        await using var chat = await ChatOnEmulator.StartAsync(o => o.ClientProtocol.MaxQueuedFramesPerConnection = 4, Ct);
        var server = chat.Server;
        var general = await chat.Admin.CreateRoomAsync("general", Ct);
        for (var i = 1; i < 30; i++)
        {
            await chat.Admin.CreateRoomAsync($"room-{i}", Ct);
        }

        await chat.Provisioner.ProvisionAsync("alice", Ct);

        var events = await RunProbeAsync(server, "conversations-unserved-probe.mjs", [await chat.TokenAsync("alice"), general.Sid]);

        One(events, "subscribed")["count"]!.GetValue<int>().Should().Be(30);
        One(events, "text")["ok"]!.GetValue<bool>().Should().BeTrue();
        One(events, "connection")["sockets"]!.GetValue<int>().Should().Be(1, "the connection was never dropped and reopened");
    }
}
