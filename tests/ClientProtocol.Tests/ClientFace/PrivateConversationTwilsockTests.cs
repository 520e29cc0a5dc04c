using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.TestSupport;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace ClientProtocol.Tests.ClientFace;

/// <summary>
/// Carol, connected with her own valid token, tries every door of the twilsock face into Alice and Bob's private
/// conversation (marked as Twilio.ChatRooms marks it): each is shut as on Twilio (the conversation does not exist for
/// her), Alice is told nothing, and afterwards nothing has changed.
/// </summary>
public sealed class PrivateConversationTwilsockTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task NonParticipant_CannotDiscoverReadJoinOrWrite_AndNothingChanged()
    {
        var (alice, bob, conversation) = await PrivatePairAsync();
        await using var a = await Twilsock.ConnectAsync(Server, alice, Ct);
        await a.SubscribeAsync([conversation.Sid + ".messages", conversation.Sid + ".roster"], Ct);
        var carolsIdentity = EmulatorClients.Unique("carol");
        await using var carol = await Twilsock.ConnectAsync(Server, carolsIdentity, Ct);
        var sid = conversation.Sid;

        var mine = await carol.RequestAsync("GET", Twilsock.Chat(Server, "MyConversations"), null, Ct);
        var subscribed = await carol.SubscribeAsync([sid + ".messages", sid + ".roster", sid + ".channel"], Ct);
        var doors = new (string Method, string Path, JsonNode? Body)[]
        {
            ("GET", Twilsock.Chat(Server, $"Conversations/{sid}"), null),                       // peek
            ("GET", Twilsock.Chat(Server, $"Conversations/{Uri.EscapeDataString(conversation.UniqueName)}"), null),
            ("GET", Twilsock.Chat(Server, $"MyConversations/{sid}"), null),
            ("POST", Twilsock.Chat(Server, $"MyConversations/{sid}"), new JsonObject { ["last_read_message_index"] = 0 }),
            ("POST", Twilsock.Chat(Server, $"Conversations/{sid}/Messages"), new JsonObject { ["body"] = "carol was here" }),
            ("POST", Twilsock.Chat(Server, $"Conversations/{sid}/Messages/0"), new JsonObject { ["body"] = "rewritten" }),
            ("DELETE", Twilsock.Chat(Server, $"Conversations/{sid}/Messages/0"), null),
            ("POST", Twilsock.Chat(Server, $"Conversations/{sid}/Participants"), new JsonObject { ["identity"] = carolsIdentity }), // join
            ("POST", Twilsock.Chat(Server, $"Conversations/{sid}/Participants"), new JsonObject { ["identity"] = "mallory" }),     // add another
            ("DELETE", Twilsock.Chat(Server, $"Conversations/{sid}/Participants/{bob}"), null),                                     // remove
            ("POST", Twilsock.Chat(Server, $"Conversations/{sid}"), new JsonObject { ["friendly_name"] = "carol's now" }),       // rename
            ("DELETE", Twilsock.Chat(Server, $"Conversations/{sid}"), null),
            ("GET", $"/v3/Lists/{sid}.messages/Items", null),
            ("GET", $"/v3/Maps/{sid}.roster/Items", null),
            ("GET", $"/v3/Documents/{sid}.channel", null),
        };
        var answers = new List<TwilsockTestFrame>();
        foreach (var (method, path, body) in doors)
        {
            answers.Add(await carol.RequestAsync(method, path, body, Ct));
        }

        var typing = await carol.RequestAsync("POST", Twilsock.Chat(Server, "Typing"), $"ChannelSid={sid}", "application/x-www-form-urlencoded", Ct);
        // A message after the attempts: once Alice has it, any event they caused would have reached her before it.
        var index = await Twilsock.SendAsync(a, Server, sid, "after carol tried", Ct);
        await Twilsock.WaitForEventAsync(a, "list_item_added", sid + ".messages", e => (int)e["item_index"]! == index, Ct);

        mine.Payload!["conversations"]!.AsArray().Should().BeEmpty();
        mine.Payload.ToJsonString().Should().NotContain(conversation.UniqueName);
        subscribed.Values.Should().AllBe("subscription_failed");
        foreach (var (answer, door) in answers.Zip(doors))
        {
            answer.HttpStatus.Should().Be(404, $"{door.Method} {door.Path}");
            answer.Payload!["code"]!.GetValue<int>().Should().Be(20404, door.Path);
            answer.Payload.ToJsonString().Should().NotContain("secret between A and B");
        }

        typing.HttpStatus.Should().Be(404);
        carol.Notifications.Select(n => TwilsockTestClient.SyncEvent(n).Type)
            .Should().OnlyContain(t => t == "subscription_failed", "Carol hears nothing of the conversation");
        a.Notifications.Should().NotContain(n => n.Header["message_type"]!.GetValue<string>() == "twilio.ipmsg.typing_indicator");
        Twilsock.Events(a, "map_item_added", sid + ".roster").Should().BeEmpty("Alice is not told of anyone joining");
        var participants = await ParticipantResource.ReadAsync(sid, client: EmulatorClients.Twilio(Server));
        participants.Select(p => p.Identity).Should().BeEquivalentTo([alice, bob]);
        var messages = await MessageResource.ReadAsync(sid, client: EmulatorClients.Twilio(Server));
        messages.Select(m => (m.Body, m.Author)).Should().Equal([("secret between A and B", alice), ("after carol tried", alice)]);
        (await ConversationResource.FetchAsync(sid, client: EmulatorClients.Twilio(Server))).FriendlyName.Should().Be(conversation.FriendlyName);
    }

    [Fact]
    public async Task Rest_WithAUsersAccessToken_IsRefused()
    {
        var (_, _, conversation) = await PrivatePairAsync();
        var token = Twilsock.Token(Server, EmulatorClients.Unique("carol"));
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

    /// <summary>Alice and Bob's private conversation with one message.</summary>
    private async Task<(string Alice, string Bob, ConversationResource Conversation)> PrivatePairAsync()
    {
        var rest = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var bob = EmulatorClients.Unique("bob");
        var members = new[] { alice, bob }.Order(StringComparer.Ordinal).ToArray();
        var attributes = JsonSerializer.Serialize(new { chatrooms = new { kind = "private", members } });
        var conversation = await ConversationResource.CreateAsync(uniqueName: "private:" + Guid.NewGuid().ToString("N"),
            friendlyName: $"{alice}, {bob}", attributes: attributes, client: rest);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: alice, client: rest);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: bob, client: rest);
        await MessageResource.CreateAsync(conversation.Sid, author: alice, body: "secret between A and B", client: rest);
        return (alice, bob, conversation);
    }
}
