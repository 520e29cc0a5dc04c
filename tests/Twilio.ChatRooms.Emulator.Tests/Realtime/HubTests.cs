using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Twilio.Jwt.AccessToken;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests.Realtime;

public sealed class HubTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ValidToken_Connects_FromQueryOrHeader()
    {
        await using var client = await HubClient.ConnectAsync(Server, Token(Clients.Unique("alice")));

        client.Connection.State.Should().Be(HubConnectionState.Connected);
        (await client.Connection.InvokeAsync<JsonElement>("GetSubscribedConversations", Ct)).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task BadTokens_AreRefusedWith401()
    {
        var identity = Clients.Unique("mallory");
        var c = Server.Credentials;
        var badSignature = new Token(c.AccountSid, c.ApiKeySid, "another-secret-that-is-long-enough-000000", identity,
            grants: [new ChatGrant { ServiceSid = Server.DefaultServiceSid }]).ToJwt();
        var expired = new Token(c.AccountSid, c.ApiKeySid, c.ApiKeySecret, identity, DateTime.UtcNow.AddHours(-1),
            grants: [new ChatGrant { ServiceSid = Server.DefaultServiceSid }]).ToJwt();
        var noGrant = new Token(c.AccountSid, c.ApiKeySid, c.ApiKeySecret, identity, grants: []).ToJwt();
        var otherService = new Token(c.AccountSid, c.ApiKeySid, c.ApiKeySecret, identity,
            grants: [new ChatGrant { ServiceSid = "IS" + new string('1', 32) }]).ToJwt();

        foreach (var token in new[] { badSignature, expired, noGrant, otherService, "not-a-jwt", "" })
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HubClient.ConnectAsync(Server, token));
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task MessageSentThroughHub_ReachesBothParticipantsOnce()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));
        await using var b = await HubClient.ConnectAsync(Server, Token(bob));

        var first = await a.Connection.InvokeAsync<int>("SendMessage", room, "hello bob", Ct);
        var second = await a.Connection.InvokeAsync<int>("SendMessage", room, "second", Ct);
        var atBob = await b.WaitForAsync("messageAdded", m => m.GetProperty("index").GetInt32() == second);
        await a.WaitForAsync("messageAdded", m => m.GetProperty("index").GetInt32() == second);

        second.Should().Be(first + 1);
        atBob.GetProperty("conversationSid").GetString().Should().Be(room);
        b.All("messageAdded").Count(m => m.GetProperty("index").GetInt32() == first).Should().Be(1);
        a.All("messageAdded").Count(m => m.GetProperty("index").GetInt32() == first).Should().Be(1);
        var hello = b.All("messageAdded").Single(m => m.GetProperty("index").GetInt32() == first);
        hello.GetProperty("body").GetString().Should().Be("hello bob");
        hello.GetProperty("author").GetString().Should().Be(alice);
        hello.GetProperty("attributes").ValueKind.Should().Be(JsonValueKind.Object);
        hello.GetProperty("dateCreated").GetString().Should().EndWith("Z");
    }

    [Fact]
    public async Task MessagePostedByRest_ReachesHubClients()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var b = await HubClient.ConnectAsync(Server, Token(bob));

        var posted = await MessageResource.CreateAsync(room, author: alice, body: "via REST", client: Clients.Twilio(Server));
        var received = await b.WaitForAsync("messageAdded", m => m.GetProperty("sid").GetString() == posted.Sid);

        received.GetProperty("body").GetString().Should().Be("via REST");
        received.GetProperty("index").GetInt32().Should().Be(posted.Index);
    }

    [Fact]
    public async Task NonParticipant_CannotSendOrRead_AndReceivesNothing()
    {
        var (alice, _, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));
        await using var eve = await HubClient.ConnectAsync(Server, Token(Clients.Unique("eve")));

        var send = await Assert.ThrowsAsync<HubException>(() => eve.Connection.InvokeAsync<int>("SendMessage", room, "let me in", Ct));
        var read = await Assert.ThrowsAsync<HubException>(() => eve.Connection.InvokeAsync<JsonElement>("GetMessages", room, 10, null, Ct));
        var list = await Assert.ThrowsAsync<HubException>(() => eve.Connection.InvokeAsync<JsonElement>("GetParticipants", room, Ct));
        var index = await a.Connection.InvokeAsync<int>("SendMessage", room, "private", Ct);
        await a.WaitForAsync("messageAdded", m => m.GetProperty("index").GetInt32() == index);

        send.Message.Should().Contain("Twilio error 50430");
        read.Message.Should().Contain("Twilio error 50430");
        list.Message.Should().Contain("Twilio error 50430");
        eve.All("messageAdded").Should().BeEmpty();
    }

    [Fact]
    public async Task EmptyBody_IsRefused()
    {
        var (alice, _, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));

        var refused = await Assert.ThrowsAsync<HubException>(() => a.Connection.InvokeAsync<int>("SendMessage", room, "", Ct));

        refused.Message.Should().Contain("Twilio error");
    }

    [Fact]
    public async Task ParticipantAddedByRest_GetsConversationAdded_ThenTheRoomsMessages()
    {
        var (alice, _, room) = await TwoInRoomAsync();
        var carol = Clients.Unique("carol");
        await using var c = await HubClient.ConnectAsync(Server, Token(carol));

        await ParticipantResource.CreateAsync(room, identity: carol, client: Clients.Twilio(Server));
        var added = await c.WaitForAsync("conversationAdded", x => x.GetProperty("sid").GetString() == room);
        var joined = await c.WaitForAsync("participantJoined", x => x.GetProperty("identity").GetString() == carol);
        await MessageResource.CreateAsync(room, author: alice, body: "welcome carol", client: Clients.Twilio(Server));
        var message = await c.WaitForAsync("messageAdded", x => x.GetProperty("body").GetString() == "welcome carol");
        var subscribed = await c.Connection.InvokeAsync<JsonElement>("GetSubscribedConversations", Ct);

        added.GetProperty("sid").GetString().Should().Be(room);
        joined.GetProperty("isOnline").GetBoolean().Should().BeTrue();
        joined.GetProperty("type").GetString().Should().Be("chat");
        message.GetProperty("conversationSid").GetString().Should().Be(room);
        subscribed.EnumerateArray().Select(x => x.GetProperty("sid").GetString()).Should().Equal(room);
    }

    [Fact]
    public async Task Typing_StartsAndEnds_ForTheOtherUser()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));
        await using var b = await HubClient.ConnectAsync(Server, Token(bob));

        await a.Connection.InvokeAsync("Typing", room, Ct);
        var started = await b.WaitForAsync("typingStarted", x => x.GetProperty("conversationSid").GetString() == room);
        await a.Connection.InvokeAsync<int>("SendMessage", room, "done typing", Ct);
        var ended = await b.WaitForAsync("typingEnded", x => x.GetProperty("conversationSid").GetString() == room);
        await a.Connection.InvokeAsync("Typing", room, Ct);
        await b.WaitForAsync("typingStarted", _ => b.All("typingStarted").Count == 2);
        await b.WaitForAsync("typingEnded", _ => b.All("typingEnded").Count == 2); // after the idle timeout
        var idx = await b.Connection.InvokeAsync<int>("SendMessage", room, "marker", Ct);
        await a.WaitForAsync("messageAdded", m => m.GetProperty("index").GetInt32() == idx);

        started.GetProperty("identity").GetString().Should().Be(alice);
        ended.GetProperty("identity").GetString().Should().Be(alice);
        a.All("typingStarted").Should().BeEmpty();
    }

    [Fact]
    public async Task GetMessages_PagesBackwardsByAnchor()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        var rest = Clients.Twilio(Server);
        for (var i = 0; i < 5; i++)
        {
            await MessageResource.CreateAsync(room, author: alice, body: $"m{i}", client: rest);
        }

        await using var b = await HubClient.ConnectAsync(Server, Token(bob));
        var latest = await b.Connection.InvokeAsync<JsonElement>("GetMessages", room, 2, null, Ct);
        var older = await b.Connection.InvokeAsync<JsonElement>("GetMessages", room, 2, 3, Ct);
        var oldest = await b.Connection.InvokeAsync<JsonElement>("GetMessages", room, 2, 1, Ct);

        Bodies(latest).Should().Equal("m3", "m4");
        latest.GetProperty("hasPrevPage").GetBoolean().Should().BeTrue();
        Bodies(older).Should().Equal("m1", "m2");
        older.GetProperty("hasPrevPage").GetBoolean().Should().BeTrue();
        Bodies(oldest).Should().Equal("m0");
        oldest.GetProperty("hasPrevPage").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task GetParticipants_ShowsOnlineState()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));

        var participants = await a.Connection.InvokeAsync<JsonElement>("GetParticipants", room, Ct);

        var byIdentity = participants.EnumerateArray().ToDictionary(p => p.GetProperty("identity").GetString()!, p => p.GetProperty("isOnline").GetBoolean());
        byIdentity.Should().BeEquivalentTo(new Dictionary<string, bool> { [alice] = true, [bob] = false });
    }

    [Fact]
    public async Task OwnMessages_CanBeEditedAndRemoved_OthersNot()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));
        await using var b = await HubClient.ConnectAsync(Server, Token(bob));
        var index = await a.Connection.InvokeAsync<int>("SendMessage", room, "typo", Ct);

        var bobEdits = await Assert.ThrowsAsync<HubException>(() => b.Connection.InvokeAsync<JsonElement>("UpdateMessage", room, index, "hacked", Ct));
        var bobRemoves = await Assert.ThrowsAsync<HubException>(() => b.Connection.InvokeAsync("RemoveMessage", room, index, Ct));
        var edited = await a.Connection.InvokeAsync<JsonElement>("UpdateMessage", room, index, "fixed", Ct);
        var updated = await b.WaitForAsync("messageUpdated", m => m.GetProperty("index").GetInt32() == index);
        await a.Connection.InvokeAsync("RemoveMessage", room, index, Ct);
        var removed = await b.WaitForAsync("messageRemoved", m => m.GetProperty("index").GetInt32() == index);
        var page = await b.Connection.InvokeAsync<JsonElement>("GetMessages", room, 10, null, Ct);

        bobEdits.Message.Should().Contain("Twilio error 50107");
        bobRemoves.Message.Should().Contain("Twilio error 50107");
        edited.GetProperty("body").GetString().Should().Be("fixed");
        updated.GetProperty("body").GetString().Should().Be("fixed");
        removed.GetProperty("sid").GetString().Should().Be(edited.GetProperty("sid").GetString());
        page.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task JoinAndLeave_SendConversationAddedAndRemoved()
    {
        var (alice, _, room) = await TwoInRoomAsync();
        var carol = Clients.Unique("carol");
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));
        await using var c = await HubClient.ConnectAsync(Server, Token(carol));

        var joinable = await c.Connection.InvokeAsync<JsonElement>("GetJoinableConversations", Ct);
        var joined = await c.Connection.InvokeAsync<JsonElement>("Join", room, Ct);
        await c.WaitForAsync("conversationAdded", x => x.GetProperty("sid").GetString() == room);
        await a.WaitForAsync("participantJoined", x => x.GetProperty("identity").GetString() == carol);
        await c.Connection.InvokeAsync("Leave", room, Ct);
        await c.WaitForAsync("conversationRemoved", x => x.GetProperty("sid").GetString() == room);
        await a.WaitForAsync("participantLeft", x => x.GetProperty("identity").GetString() == carol);
        var afterLeaving = await Assert.ThrowsAsync<HubException>(() => c.Connection.InvokeAsync<int>("SendMessage", room, "hi", Ct));

        joinable.EnumerateArray().Select(x => x.GetProperty("sid").GetString()).Should().Contain(room);
        joined.GetProperty("sid").GetString().Should().Be(room);
        afterLeaving.Message.Should().Contain("Twilio error 50430");
    }

    [Fact]
    public async Task ReadHorizon_CountsUnreadMessages()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var b = await HubClient.ConnectAsync(Server, Token(bob));
        var rest = Clients.Twilio(Server);
        await MessageResource.CreateAsync(room, author: alice, body: "one", client: rest);
        var two = await MessageResource.CreateAsync(room, author: alice, body: "two", client: rest);

        var before = await b.Connection.InvokeAsync<int?>("GetUnreadMessagesCount", room, Ct);
        var horizon = await b.Connection.InvokeAsync<int?>("SetAllMessagesRead", room, Ct);
        var none = await b.Connection.InvokeAsync<int?>("GetUnreadMessagesCount", room, Ct);
        await MessageResource.CreateAsync(room, author: alice, body: "three", client: rest);
        var one = await b.Connection.InvokeAsync<int?>("GetUnreadMessagesCount", room, Ct);

        before.Should().BeNull();
        horizon.Should().Be(two.Index);
        none.Should().Be(0);
        one.Should().Be(1);
    }

    [Fact]
    public async Task ConversationDeletedByRest_SendsConversationRemoved()
    {
        var (_, bob, room) = await TwoInRoomAsync();
        await using var b = await HubClient.ConnectAsync(Server, Token(bob));

        await ConversationResource.DeleteAsync(room, client: Clients.Twilio(Server));
        var removed = await b.WaitForAsync("conversationRemoved", x => x.GetProperty("sid").GetString() == room);

        removed.GetProperty("sid").GetString().Should().Be(room);
    }

    [Fact]
    public async Task UpdateToken_AcceptsSameIdentity_RefusesAnother()
    {
        var alice = Clients.Unique("alice");
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));

        await a.Connection.InvokeAsync("UpdateToken", Token(alice), Ct);
        var other = await Assert.ThrowsAsync<HubException>(() => a.Connection.InvokeAsync("UpdateToken", Token(Clients.Unique("bob")), Ct));

        other.Message.Should().Contain("Twilio error");
        a.Connection.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task ExpiredToken_ClosesTheConnection()
    {
        var c = Server.Credentials;
        var shortLived = new Token(c.AccountSid, c.ApiKeySid, c.ApiKeySecret, Clients.Unique("dave"), DateTime.UtcNow.AddSeconds(3),
            grants: [new ChatGrant { ServiceSid = Server.DefaultServiceSid }]).ToJwt();
        await using var d = await HubClient.ConnectAsync(Server, shortLived);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        d.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        await closed.Task.WaitAsync(Wait, Ct);

        d.Connection.State.Should().Be(HubConnectionState.Disconnected);
    }

    [Fact]
    public async Task OnlineState_IsSentAsParticipantUpdated()
    {
        var (alice, bob, room) = await TwoInRoomAsync();
        await using var a = await HubClient.ConnectAsync(Server, Token(alice));

        var b = await HubClient.ConnectAsync(Server, Token(bob));
        var online = await a.WaitForAsync("participantUpdated", p => p.GetProperty("identity").GetString() == bob && p.GetProperty("isOnline").GetBoolean());
        await b.DisposeAsync();
        var offline = await a.WaitForAsync("participantUpdated", p => p.GetProperty("identity").GetString() == bob && !p.GetProperty("isOnline").GetBoolean());

        online.GetProperty("conversationSid").GetString().Should().Be(room);
        offline.GetProperty("conversationSid").GetString().Should().Be(room);
    }

    private static string[] Bodies(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("body").GetString()!).ToArray();

    private string Token(string identity) => HubClient.Token(Server, identity);

    private async Task<(string Alice, string Bob, string Room)> TwoInRoomAsync()
    {
        var rest = Clients.Twilio(Server);
        var alice = Clients.Unique("alice");
        var bob = Clients.Unique("bob");
        var room = await ConversationResource.CreateAsync(friendlyName: "room", uniqueName: Clients.Unique("room"), client: rest);
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: rest);
        await ParticipantResource.CreateAsync(room.Sid, identity: bob, client: rest);
        return (alice, bob, room.Sid);
    }
}
