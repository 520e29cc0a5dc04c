using System.Text.Json.Nodes;
using Twilio.ChatRooms.TestSupport;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace ClientProtocol.Tests.ClientFace;

/// <summary>
/// The emulator's one real-time face, twilsock, driven by the test's own twilsock client against the shared emulator:
/// what its Sync objects and events carry, and what a user may and may not do. (What Twilio's own SDK makes of it is in
/// tests/ClientProtocol.Tests.)
/// </summary>
public sealed class TwilsockFaceTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Init_ValidToken_IsAccepted_AndANewUserHasNoConversations()
    {
        await using var client = await Twilsock.ConnectAsync(Server, EmulatorClients.Unique("alice"), Ct);

        var mine = await client.RequestAsync("GET", Twilsock.Chat(Server, "MyConversations"), null, Ct);

        client.InitReply.StatusCode.Should().Be(200);
        mine.HttpStatus.Should().Be(200);
        mine.Payload!["conversations"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task SendMessage_ReachesBothParticipantsOnce_WithItsIndexBodyAndAuthor()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await Twilsock.ConnectAsync(Server, alice, Ct);
        await using var b = await Twilsock.ConnectAsync(Server, bob, Ct);
        var messages = room + ".messages";
        await a.SubscribeAsync([messages], Ct);
        await b.SubscribeAsync([messages], Ct);

        var first = await Twilsock.SendAsync(a, Server, room, "hello bob", Ct);
        var second = await Twilsock.SendAsync(a, Server, room, "second", Ct);
        await Twilsock.WaitForEventAsync(b, "list_item_added", messages, e => (int)e["item_index"]! == second, Ct);
        await Twilsock.WaitForEventAsync(a, "list_item_added", messages, e => (int)e["item_index"]! == second, Ct);

        second.Should().Be(first + 1);
        foreach (var client in new[] { a, b })
        {
            Twilsock.Events(client, "list_item_added", messages).Count(e => (int)e["item_index"]! == first).Should().Be(1, "each message arrives once");
        }

        var hello = Twilsock.Events(b, "list_item_added", messages).Single(e => (int)e["item_index"]! == first)["item_data"]!;
        hello["text"]!.GetValue<string>().Should().Be("hello bob");
        hello["author"]!.GetValue<string>().Should().Be(alice);
        hello["timestamp"]!.GetValue<string>().Should().EndWith("Z");
    }

    [Fact]
    public async Task SendMessage_EmptyBody_IsRefusedWith50503_AndNothingIsAdded()
    {
        var (alice, _, room) = await TwoInRoomAsync();
        await using var a = await Twilsock.ConnectAsync(Server, alice, Ct);

        var refused = await a.RequestAsync("POST", Twilsock.Chat(Server, $"Conversations/{room}/Messages"), new JsonObject { ["body"] = "" }, Ct);

        refused.HttpStatus.Should().Be(400);
        refused.Payload!["code"]!.GetValue<int>().Should().Be(50503);
        (await MessageResource.ReadAsync(room, client: EmulatorClients.Twilio(Server))).Should().BeEmpty();
    }

    [Fact]
    public async Task MyConversations_ParticipantAddedThenConversationDeletedByRest_AddsThenRemovesIt()
    {
        var (_, _, room) = await TwoInRoomAsync();
        var carol = EmulatorClients.Unique("carol");
        await using var c = await Twilsock.ConnectAsync(Server, carol, Ct);
        var (myConversations, _) = await Twilsock.SyncObjectsAsync(c, Ct);
        await c.SubscribeAsync([myConversations], Ct);

        await ParticipantResource.CreateAsync(room, identity: carol, client: EmulatorClients.Twilio(Server));
        var added = await Twilsock.WaitForEventAsync(c, "map_item_added", myConversations, e => (string?)e["item_key"] == room, Ct);
        var listed = await c.RequestAsync("GET", Twilsock.Chat(Server, "MyConversations"), null, Ct);
        await ConversationResource.DeleteAsync(room, client: EmulatorClients.Twilio(Server));
        await Twilsock.WaitForEventAsync(c, "map_item_removed", myConversations, e => (string?)e["item_key"] == room, Ct);
        var afterDelete = await c.RequestAsync("GET", Twilsock.Chat(Server, "MyConversations"), null, Ct);

        added["item_data"]!["status"]!.GetValue<string>().Should().Be("joined");
        listed.Payload!["conversations"]!.AsArray().Select(x => (string)x!["conversation_sid"]!).Should().Equal(room);
        afterDelete.Payload!["conversations"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Messages_OfAnother_CannotBeEditedOrRemovedByAParticipant_OwnCan()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await Twilsock.ConnectAsync(Server, alice, Ct);
        await using var b = await Twilsock.ConnectAsync(Server, bob, Ct);
        var index = await Twilsock.SendAsync(a, Server, room, "typo", Ct);
        var message = Twilsock.Chat(Server, $"Conversations/{room}/Messages/{index}");

        var bobEdits = await b.RequestAsync("POST", message, new JsonObject { ["body"] = "hacked" }, Ct);
        var bobRemoves = await b.RequestAsync("DELETE", message, null, Ct);
        var aliceEdits = await a.RequestAsync("POST", message, new JsonObject { ["body"] = "fixed" }, Ct);
        var afterEdit = (await MessageResource.ReadAsync(room, client: EmulatorClients.Twilio(Server))).Select(m => m.Body).ToList();
        var aliceRemoves = await a.RequestAsync("DELETE", message, null, Ct);

        bobEdits.HttpStatus.Should().Be(403);
        bobEdits.Payload!["code"]!.GetValue<int>().Should().Be(50107);
        bobRemoves.HttpStatus.Should().Be(403);
        bobRemoves.Payload!["code"]!.GetValue<int>().Should().Be(50107);
        aliceEdits.HttpStatus.Should().Be(200);
        afterEdit.Should().Equal("fixed");
        aliceRemoves.HttpStatus.Should().Be(200);
        (await MessageResource.ReadAsync(room, client: EmulatorClients.Twilio(Server))).Should().BeEmpty();
    }

    [Fact]
    public async Task Reachability_GoesOnlineWithTheFirstConnection_AndOfflineWithTheLast()
    {
        var (alice, bob, _) = await TwoInRoomAsync();
        await using var a = await Twilsock.ConnectAsync(Server, alice, Ct);
        var bobsUser = await a.RequestAsync("GET", Twilsock.Chat(Server, "Users/" + bob), null, Ct);
        var bobsInfo = (string)bobsUser.Payload!["sync_objects"]!["user_info_map"]!;
        await a.SubscribeAsync([bobsInfo], Ct);
        var before = await a.RequestAsync("GET", $"/v3/Maps/{bobsInfo}/Items", null, Ct);

        var b = await Twilsock.ConnectAsync(Server, bob, Ct);
        await Twilsock.WaitForEventAsync(a, "map_item_updated", bobsInfo, e => (string?)e["item_key"] == "reachability" && (bool)e["item_data"]!["online"]!, Ct);
        await b.DisposeAsync();
        await Twilsock.WaitForEventAsync(a, "map_item_updated", bobsInfo, e => (string?)e["item_key"] == "reachability" && !(bool)e["item_data"]!["online"]!, Ct);

        var reachability = before.Payload!["items"]!.AsArray().Single(i => (string?)i!["key"] == "reachability")!;
        reachability["data"]!["online"]!.GetValue<bool>().Should().BeFalse("bob was not connected yet");
    }

    [Fact]
    public async Task Update_SameIdentity_IsAccepted_AnotherIdentity_IsRefused_AndTheConnectionStays()
    {
        var alice = EmulatorClients.Unique("alice");
        await using var a = await Twilsock.ConnectAsync(Server, alice, Ct);

        var same = await a.SendAsync(new JsonObject { ["method"] = "update", ["token"] = Twilsock.Token(Server, alice) }, null, Ct);
        var other = await a.SendAsync(new JsonObject { ["method"] = "update", ["token"] = Twilsock.Token(Server, EmulatorClients.Unique("bob")) }, null, Ct);
        var after = await a.RequestAsync("GET", Twilsock.Chat(Server, "MyConversations"), null, Ct);

        same.StatusCode.Should().Be(200);
        other.StatusCode.Should().Be(401);
        other.ErrorCode.Should().Be(20101);
        after.HttpStatus.Should().Be(200, "a refused update does not end the connection");
    }

    [Fact]
    public async Task Expiry_OfARealToken_ClosesTheConnectionWith410()
    {
        await using var d = await TwilsockTestClient.ConnectAsync(
            Server.TwilsockUri, Twilsock.Token(Server, EmulatorClients.Unique("dave"), DateTime.UtcNow.AddSeconds(3)), Ct);

        var closed = await d.Closed.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        d.InitReply.StatusCode.Should().Be(200);
        closed.Should().NotBeNull("the server says why it closes");
        closed!.Header["status"]!["code"]!.GetValue<int>().Should().Be(410);
    }

    [Fact]
    public async Task ConversationChanges_ByAParticipantWhoseRolesDoNotGrantThem_AreRefusedAndChangeNothing_ButLeavingIsAllowed()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var b = await Twilsock.ConnectAsync(Server, bob, Ct);
        var rest = EmulatorClients.Twilio(Server);

        // bob is a "channel user" and a "service user": he may leave, not rename, remove alice or delete the room.
        var renames = await b.RequestAsync("POST", Twilsock.Chat(Server, $"Conversations/{room}"), new JsonObject { ["friendly_name"] = "bob's" }, Ct);
        var retags = await b.RequestAsync("POST", Twilsock.Chat(Server, $"Conversations/{room}"), new JsonObject { ["attributes"] = "{\"x\":1}" }, Ct);
        var removesAlice = await b.RequestAsync("DELETE", Twilsock.Chat(Server, $"Conversations/{room}/Participants/{alice}"), null, Ct);
        var deletes = await b.RequestAsync("DELETE", Twilsock.Chat(Server, $"Conversations/{room}"), null, Ct);
        var unchanged = await ConversationResource.FetchAsync(room, client: rest);
        var stillThere = (await ParticipantResource.ReadAsync(room, client: rest)).Select(p => p.Identity).ToList();
        var leaves = await b.RequestAsync("DELETE", Twilsock.Chat(Server, $"Conversations/{room}/Participants/{bob}"), null, Ct);
        var afterLeaving = await b.RequestAsync("POST", Twilsock.Chat(Server, $"Conversations/{room}"), new JsonObject { ["friendly_name"] = "bob's" }, Ct);

        foreach (var refused in new[] { renames, retags, removesAlice, deletes })
        {
            refused.HttpStatus.Should().Be(403);
            refused.Payload!["code"]!.GetValue<int>().Should().Be(50107);
        }

        unchanged.FriendlyName.Should().Be("room");
        unchanged.Attributes.Should().Be("{}");
        stillThere.Should().BeEquivalentTo([alice, bob]);
        leaves.HttpStatus.Should().Be(200);
        (await ParticipantResource.ReadAsync(room, client: rest)).Select(p => p.Identity).Should().Equal(alice);
        afterLeaving.HttpStatus.Should().Be(404, "once he has left, the conversation does not exist for him");
    }

    private async Task<(string Alice, string Bob, string Room)> TwoInRoomAsync()
    {
        var rest = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var bob = EmulatorClients.Unique("bob");
        var room = await ConversationResource.CreateAsync(friendlyName: "room", uniqueName: EmulatorClients.Unique("room"), client: rest);
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: rest);
        await ParticipantResource.CreateAsync(room.Sid, identity: bob, client: rest);
        return (alice, bob, room.Sid);
    }
}
