using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.TestSupport;

namespace WebApiHost.Tests;

/// <summary>
/// What a signed-in user may make through the SDK's own requests (the service role grants <c>createConversation</c>, for
/// groups), and what the host's pre-event webhook keeps them from: a conversation that passes for a room (a unique
/// name) or for a private conversation (its marker). A group is never a room: not listed, not joined through the host.
/// </summary>
public sealed class UserConversationTests(UsernameOnlyHostFactory factory) : IClassFixture<UsernameOnlyHostFactory>
{
    private const string GroupMarker = """{"chatrooms":{"kind":"group"}}""";

    private static Task<TwilsockTestFrame> CreateAsync(HostTwilsock socket, JsonObject body) =>
        socket.RequestAsync("POST", socket.ConversationsPath, body, Ct);

    [Fact]
    public async Task AUserMakesAGroup_ButNeitherARoomNorAPrivateConversation()
    {
        var mallory = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("mallory"));
        await using var socket = await HostTwilsock.ConnectAsync(factory, mallory, Ct);
        var squat = "lobby-" + Guid.NewGuid().ToString("N")[..6];

        var group = await CreateAsync(socket, new() { ["friendly_name"] = "book club", ["attributes"] = GroupMarker });
        var asRoom = await CreateAsync(socket, new() { ["friendly_name"] = squat, ["unique_name"] = squat });
        var asGroupRoom = await CreateAsync(socket, new() { ["friendly_name"] = squat, ["unique_name"] = squat, ["attributes"] = GroupMarker });
        var asPrivate = await CreateAsync(socket, new()
        {
            ["friendly_name"] = "alice, mallory",
            ["attributes"] = $$$"""{"chatrooms":{"kind":"private","members":["alice","{{{mallory.Identity}}}"]}}""",
        });

        group.HttpStatus.Should().Be(200, "the participant role grants createConversation: {0}", group.Payload?.ToJsonString());
        asRoom.HttpStatus.Should().Be(403, "a unique name would make it a room others join through the host");
        asGroupRoom.HttpStatus.Should().Be(403);
        asPrivate.HttpStatus.Should().Be(403, "a group may not dress up as someone's private conversation");

        // Her own group: she joins it (the creator's role), but may not give it a unique name or another marker later.
        var sid = (string)group.Payload!["sid"]!;
        var joined = await socket.RequestAsync("POST", $"{socket.ConversationsPath}/{sid}/Participants", new JsonObject { ["identity"] = mallory.Identity }, Ct);
        joined.HttpStatus.Should().Be(200, joined.Payload?.ToJsonString());
        var renamed = await socket.RequestAsync("POST", $"{socket.ConversationsPath}/{sid}", new JsonObject { ["friendly_name"] = "reading group" }, Ct);
        var uniqueNamed = await socket.RequestAsync("POST", $"{socket.ConversationsPath}/{sid}", new JsonObject { ["unique_name"] = squat }, Ct);
        var unmarked = await socket.RequestAsync("POST", $"{socket.ConversationsPath}/{sid}", new JsonObject { ["attributes"] = """{"chatrooms":{"kind":"private","members":[]}}""" }, Ct);
        renamed.HttpStatus.Should().Be(200, "renaming her group is hers to do");
        uniqueNamed.HttpStatus.Should().Be(403);
        unmarked.HttpStatus.Should().Be(403);

        // Not a room: not listed, and nobody joins it through the host, by name or SID.
        using var anonymous = factory.CreateRealClient();
        var rooms = await anonymous.GetFromJsonAsync<JsonElement>("/rooms", Ct);
        rooms.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("sid").GetString()).Should().NotContain(sid);
        rooms.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Should().NotContain(squat);
        var eve = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("eve"));
        foreach (var key in new[] { sid, "reading group" })
        {
            using var join = await eve.PostAsync("/rooms/join", new { room = key });
            join.StatusCode.Should().Be(HttpStatusCode.NotFound, key);
        }
    }
}
