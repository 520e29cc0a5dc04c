using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.ChatRooms.TestSupport;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using RoleResource = Twilio.Rest.Conversations.V1.Service.RoleResource;
using UserResource = Twilio.Rest.Conversations.V1.Service.UserResource;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// Reset and seed: each test has an emulator of its own (a reset empties everything), reached through Twilio's SDK,
/// the raw REST face and a twilsock client.
/// </summary>
public sealed class AdminTests : IDisposable
{
    private const string Seed = """
        {
          "roles": [ { "name": "moderator", "type": "conversation", "permissions": ["sendMessage", "deleteAnyMessage", "editAnyMessage"] } ],
          "users": [ { "identity": "alice", "friendlyName": "Alice", "attributes": { "team": "blue" } }, { "identity": "bob" } ],
          "conversations": [
            {
              "uniqueName": "general", "friendlyName": "General",
              "participants": [ { "identity": "alice", "role": "moderator" }, { "identity": "bob" },
                                { "address": "+15551230001", "proxyAddress": "+15559990001" } ],
              "messages": [ { "author": "alice", "body": "Welcome" }, { "author": "bob", "body": "Hi!" } ]
            },
            { "uniqueName": "random" }
          ]
        }
        """;

    private readonly TemporaryDirectory _temporary = new("emulator-admin-");

    private string Folder => _temporary.Path;

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Reset_AfterRoomsUsersRolesAndTexts_LeavesANewServiceWithItsSidAndCredentials()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        var serviceSid = server.DefaultServiceSid;
        var defaultRoles = await RolesAsync(server);
        var custom = await RoleResource.CreateAsync(serviceSid, "moderator", RoleResource.RoleTypeEnum.Conversation, ["sendMessage"], client: client);
        var channelUser = defaultRoles.Single(r => r.Name == "channel user");
        await RoleResource.UpdateAsync(serviceSid, channelUser.Sid, ["sendMessage"], client: client);
        var room = await ConversationResource.CreateAsync(uniqueName: "lobby", client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: "alice", client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: "+15551230002", messagingBindingProxyAddress: "+15559990002", client: client);
        await MessageResource.CreateAsync(room.Sid, author: "alice", body: "to the phone", client: client);
        using var http = EmulatorClients.Raw(server);
        (await OutboxAsync(http)).Should().NotBeEmpty("the SMS participant was texted");
        await using var alice = await Twilsock.ConnectAsync(server, "alice", Ct);
        var (myConversations, _) = await Twilsock.SyncObjectsAsync(alice, Ct);
        await alice.SubscribeAsync([myConversations], Ct);

        await server.ResetAsync(Ct);

        await Twilsock.WaitForEventAsync(alice, "map_item_removed", myConversations, e => (string?)e["item_key"] == room.Sid, Ct);
        (await ConversationResource.ReadAsync(client: client)).Should().BeEmpty();
        (await UserResource.ReadAsync(serviceSid, client: client)).Should().BeEmpty();
        (await OutboxAsync(http)).Should().BeEmpty();
        var roles = await RolesAsync(server);
        roles.Select(r => r.Sid).Should().NotContain(custom.Sid);
        roles.Should().BeEquivalentTo(defaultRoles, "the default roles stay, with their SIDs and default permissions");
        server.DefaultServiceSid.Should().Be(serviceSid);
        (await ConversationResource.CreateAsync(uniqueName: "lobby", client: client)).UniqueName.Should().Be("lobby", "the credentials still work and the name is free");
    }

    [Fact]
    public async Task Reset_WithADataDirectory_IsDurable()
    {
        await using (var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = Folder, Ct))
        {
            await ConversationResource.CreateAsync(uniqueName: "kept", client: EmulatorClients.Twilio(server));
            await MessageResource.CreateAsync("kept", author: "x", body: "hello", client: EmulatorClients.Twilio(server));
            await server.ResetAsync(Ct);
        }

        await using var restarted = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = Folder, Ct);
        (await ConversationResource.ReadAsync(client: EmulatorClients.Twilio(restarted))).Should().BeEmpty();
        (await UserResource.ReadAsync(restarted.DefaultServiceSid, client: EmulatorClients.Twilio(restarted))).Should().BeEmpty();
    }

    [Fact]
    public async Task Seed_AFile_CreatesRolesUsersConversationsParticipantsAndMessages()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);

        await server.SeedAsync(Seed, Ct);

        var moderator = (await RolesAsync(server)).Should().ContainSingle(r => r.Name == "moderator").Subject;
        moderator.Permissions.Should().BeEquivalentTo(["sendMessage", "deleteAnyMessage", "editAnyMessage"]);
        var alice = await UserResource.FetchAsync(server.DefaultServiceSid, "alice", client: client);
        alice.FriendlyName.Should().Be("Alice");
        JsonDocument.Parse(alice.Attributes).RootElement.GetProperty("team").GetString().Should().Be("blue");
        (await ConversationResource.ReadAsync(client: client)).Select(c => c.UniqueName).Should().Equal("general", "random");
        var participants = (await ParticipantResource.ReadAsync("general", client: client)).ToList();
        participants.Select(p => p.Identity).Should().BeEquivalentTo(["alice", "bob", null]);
        participants.Single(p => p.Identity == "alice").RoleSid.Should().Be(moderator.Sid);
        var messages = (await MessageResource.ReadAsync("general", client: client)).ToList();
        messages.Select(m => (m.Author, m.Body)).Should().Equal(("alice", "Welcome"), ("bob", "Hi!"));
        messages[0].ParticipantSid.Should().Be(participants.Single(p => p.Identity == "alice").Sid);
    }

    [Theory]
    [InlineData("""{ "conversations": [ { "uniqueName": "ok" }, { "uniqueName": "bad", "messages": [ { "author": "a", "body": "" } ] } ] }""", "conversations[1].messages[0]")]
    [InlineData("""{ "roles": [ { "name": "r", "type": "conversation", "permissions": ["flyAway"] } ], "conversations": [ { "uniqueName": "ok" } ] }""", "roles[0]")]
    [InlineData("""{ "users": [ { "identity": "u" } ], "conversations": [ { "uniqueName": "ok", "participants": [ { "identity": "u", "role": "nobody" } ] } ] }""", "conversations[0].participants[0].role")]
    [InlineData("""{ "conversations": [ { "uniqueName": "ok", "colour": "red" } ] }""", "colour")]
    [InlineData("""{ "conversations": [ { "uniqueName": "ok" } """, "not valid")]
    [InlineData("""{ "conversations": [ { "uniqueName": "taken" } ] }""", "conversation taken already exists")]
    public async Task Seed_ThatTwilioWouldRefuse_ChangesNothingAndSaysWhere(string seed, string where)
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        await ConversationResource.CreateAsync(uniqueName: "taken", client: client);
        var rolesBefore = await RolesAsync(server);

        var act = () => server.SeedAsync(seed, Ct);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(where);
        (await ConversationResource.ReadAsync(client: client)).Select(c => c.UniqueName).Should().Equal("taken");
        (await UserResource.ReadAsync(server.DefaultServiceSid, client: client)).Should().BeEmpty();
        (await RolesAsync(server)).Should().BeEquivalentTo(rolesBefore);
    }

    [Fact]
    public async Task AdminEndpoints_WithTheCredentials_SeedAndReset_AndWithoutThemAreRefused()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(server);
        using var stranger = new HttpClient { BaseAddress = new Uri(server.BaseAddress + "/") };

        var refused = await stranger.PostAsync("admin/reset", null, Ct);
        var seeded = await http.PostAsync("admin/seed", EmulatorClients.Form(("Seed", Seed)), Ct);
        var seededBody = await seeded.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var malformed = await http.PostAsync("admin/seed", EmulatorClients.Form(("Seed", "[1, 2]")), Ct);
        var malformedBody = await malformed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var reset = await http.PostAsync("admin/reset", null, Ct);
        var resetBody = await reset.Content.ReadFromJsonAsync<JsonElement>(Ct);

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        seeded.StatusCode.Should().Be(HttpStatusCode.Created);
        seededBody.GetProperty("created").GetProperty("conversations").GetInt32().Should().Be(2);
        seededBody.GetProperty("created").GetProperty("messages").GetInt32().Should().Be(2);
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        malformedBody.GetProperty("code").GetInt32().Should().Be(20001);
        malformedBody.GetProperty("message").GetString().Should().Contain("seed is not valid");
        reset.StatusCode.Should().Be(HttpStatusCode.OK);
        resetBody.GetProperty("removed").GetProperty("conversations").GetInt32().Should().Be(2);
        resetBody.GetProperty("removed").GetProperty("users").GetInt32().Should().Be(2);
        resetBody.GetProperty("removed").GetProperty("roles").GetInt32().Should().Be(1);
        (await ConversationResource.ReadAsync(client: EmulatorClients.Twilio(server))).Should().BeEmpty();
    }

    [Fact]
    public async Task SeedFile_AtStart_IsAppliedToAnEmptyStateOnly_AndARefusedOneStopsTheStart()
    {
        var seedFile = Path.Combine(Directory.CreateDirectory(Folder).FullName, "seed.json");
        await File.WriteAllTextAsync(seedFile, Seed, Ct);
        var data = Path.Combine(Folder, "data");
        await using (var first = await ConversationsEmulatorServer.StartAsync(o => (o.DataDirectory, o.SeedFile) = (data, seedFile), Ct))
        {
            (await ConversationResource.ReadAsync(client: EmulatorClients.Twilio(first))).Select(c => c.UniqueName).Should().Equal("general", "random");
            await MessageResource.CreateAsync("general", author: "alice", body: "after the seed", client: EmulatorClients.Twilio(first));
        }

        await using (var second = await ConversationsEmulatorServer.StartAsync(o => (o.DataDirectory, o.SeedFile) = (data, seedFile), Ct))
        {
            (await ConversationResource.ReadAsync(client: EmulatorClients.Twilio(second))).Should().HaveCount(2, "a kept state is not seeded twice");
            (await MessageResource.ReadAsync("general", client: EmulatorClients.Twilio(second))).Should().HaveCount(3);
        }

        var bad = Path.Combine(Folder, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "users": [ { "identity": "" } ] }""", Ct);
        var start = () => ConversationsEmulatorServer.StartAsync(o => o.SeedFile = bad, Ct);
        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("bad.json").And.Contain("users[0]");
        var missing = () => ConversationsEmulatorServer.StartAsync(o => o.SeedFile = Path.Combine(Folder, "missing.json"), Ct);
        (await missing.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("missing.json").And.Contain("cannot be read");
    }

    private static async Task<List<(string Sid, string Name, string Type, List<string> Permissions)>> RolesAsync(ConversationsEmulatorServer server) =>
        [.. (await RoleResource.ReadAsync(server.DefaultServiceSid, client: EmulatorClients.Twilio(server)))
            .Select(r => (r.Sid, r.FriendlyName, r.Type.ToString(), r.Permissions.Order(StringComparer.Ordinal).ToList()))];

    private static async Task<List<JsonElement>> OutboxAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("sms/outbox", Ct)).GetProperty("messages").EnumerateArray()];
}
