using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests.Realtime;

/// <summary>
/// Carol, signed in with her own valid token, tries every door into Alice and Bob's private conversation (marked as
/// Twilio.ChatRooms marks it): each is shut, and afterwards nothing has changed.
/// </summary>
public sealed class PrivateConversationHubTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task GetJoinableConversations_NonParticipant_DoesNotListPrivateConversations()
    {
        var (_, _, conversation, aliceHub) = await PrivatePairAsync();
        await using var alice = aliceHub;
        await using var carol = await HubClient.ConnectAsync(Server, HubClient.Token(Server, Clients.Unique("carol")));

        var joinable = await carol.Connection.InvokeAsync<JsonElement>("GetJoinableConversations", Ct);

        var sids = joinable.EnumerateArray().Select(c => c.GetProperty("sid").GetString()).ToList();
        sids.Should().NotContain(conversation.Sid);
        joinable.GetRawText().Should().NotContain(conversation.UniqueName);
    }

    [Fact]
    public async Task GetJoinableConversations_Room_IsStillListed()
    {
        var room = await ConversationResource.CreateAsync(uniqueName: Clients.Unique("room"), client: Clients.Twilio(Server));
        await using var carol = await HubClient.ConnectAsync(Server, HubClient.Token(Server, Clients.Unique("carol")));

        var joinable = await carol.Connection.InvokeAsync<JsonElement>("GetJoinableConversations", Ct);

        joinable.EnumerateArray().Select(c => c.GetProperty("sid").GetString()).Should().Contain(room.Sid);
    }

    [Fact]
    public async Task Join_NonParticipantBySidOrUniqueName_IsRefusedAsNotFound_AndNothingChanged()
    {
        var (alice, bob, conversation, aliceHub) = await PrivatePairAsync();
        await using var a = aliceHub;
        await using var carol = await HubClient.ConnectAsync(Server, HubClient.Token(Server, Clients.Unique("carol")));

        var bySid = await Assert.ThrowsAsync<HubException>(() => carol.Connection.InvokeAsync<JsonElement>("Join", conversation.Sid, Ct));
        var byName = await Assert.ThrowsAsync<HubException>(() => carol.Connection.InvokeAsync<JsonElement>("Join", conversation.UniqueName, Ct));
        // A message after the refusals: once Alice has it, any event the joins caused would have reached her before it.
        var index = await a.Connection.InvokeAsync<int>("SendMessage", conversation.Sid, "after carol tried", Ct);
        await a.WaitForAsync("messageAdded", m => m.GetProperty("index").GetInt32() == index);

        bySid.Message.Should().Contain("Twilio error 20404");
        byName.Message.Should().Contain("Twilio error 20404");
        a.All("participantJoined").Should().BeEmpty("Alice is not told of anyone joining");
        carol.All("conversationAdded").Should().BeEmpty();
        carol.All("messageAdded").Should().BeEmpty();
        var participants = await ParticipantResource.ReadAsync(conversation.Sid, client: Clients.Twilio(Server));
        participants.Select(p => p.Identity).Should().BeEquivalentTo([alice, bob]);
    }

    [Fact]
    public async Task ReadWriteAndParticipants_NonParticipant_AreRefused_AndMessagesUnchanged()
    {
        var (_, _, conversation, aliceHub) = await PrivatePairAsync();
        await using var a = aliceHub;
        await using var carol = await HubClient.ConnectAsync(Server, HubClient.Token(Server, Clients.Unique("carol")));

        var calls = new Func<Task>[]
        {
            () => carol.Connection.InvokeAsync<JsonElement>("GetMessages", conversation.Sid, 50, null, Ct),
            () => carol.Connection.InvokeAsync<int>("SendMessage", conversation.Sid, "carol was here", Ct),
            () => carol.Connection.InvokeAsync<JsonElement>("UpdateMessage", conversation.Sid, 0, "rewritten", Ct),
            () => carol.Connection.InvokeAsync("RemoveMessage", conversation.Sid, 0, Ct),
            () => carol.Connection.InvokeAsync<JsonElement>("GetParticipants", conversation.Sid, Ct),
            () => carol.Connection.InvokeAsync("Typing", conversation.Sid, Ct),
            () => carol.Connection.InvokeAsync<int?>("SetAllMessagesRead", conversation.Sid, Ct),
            () => carol.Connection.InvokeAsync<int?>("GetUnreadMessagesCount", conversation.Sid, Ct),
            () => carol.Connection.InvokeAsync("Leave", conversation.Sid, Ct),
        };

        foreach (var call in calls)
        {
            var refused = await Assert.ThrowsAsync<HubException>(call);
            refused.Message.Should().Contain("Twilio error 50430");
        }

        var messages = await MessageResource.ReadAsync(conversation.Sid, client: Clients.Twilio(Server));
        messages.Select(m => (m.Index, m.Body, m.Author)).Should().Equal([(0, "secret between A and B", a.Identity)]);
        a.All("typingStarted").Should().BeEmpty();
    }

    [Fact]
    public async Task Rest_WithAUsersAccessToken_IsRefused()
    {
        var (_, _, conversation, aliceHub) = await PrivatePairAsync();
        await using var a = aliceHub;
        var token = HubClient.Token(Server, Clients.Unique("carol"));
        using var http = new HttpClient { BaseAddress = new Uri(Server.BaseAddress + "/") };

        foreach (var scheme in new[] { "Bearer", "Basic" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/Conversations/{conversation.Sid}/Messages");
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme,
                scheme == "Bearer" ? token : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"carol:{token}")));
            using var response = await http.SendAsync(request, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, scheme);
            body.GetProperty("code").GetInt32().Should().Be(20003);
            body.GetRawText().Should().NotContain("secret between A and B");
        }
    }

    /// <summary>Alice and Bob's private conversation with one message, and Alice connected to the hub.</summary>
    private async Task<(string Alice, string Bob, ConversationResource Conversation, ConnectedUser AliceHub)> PrivatePairAsync()
    {
        var rest = Clients.Twilio(Server);
        var alice = Clients.Unique("alice");
        var bob = Clients.Unique("bob");
        var members = new[] { alice, bob }.Order(StringComparer.Ordinal).ToArray();
        var attributes = JsonSerializer.Serialize(new { chatrooms = new { kind = "private", members } });
        var conversation = await ConversationResource.CreateAsync(uniqueName: "private:" + Guid.NewGuid().ToString("N"),
            friendlyName: $"{alice}, {bob}", attributes: attributes, client: rest);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: alice, client: rest);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: bob, client: rest);
        await MessageResource.CreateAsync(conversation.Sid, author: alice, body: "secret between A and B", client: rest);
        var hub = await HubClient.ConnectAsync(Server, HubClient.Token(Server, alice));
        return (alice, bob, conversation, new ConnectedUser(alice, hub));
    }

    /// <summary>A user's hub connection, with the identity it was opened for.</summary>
    private sealed record ConnectedUser(string Identity, HubClient Client) : IAsyncDisposable
    {
        public HubConnection Connection => Client.Connection;

        public List<JsonElement> All(string name) => Client.All(name);

        public Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match) => Client.WaitForAsync(name, match);

        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }
}
