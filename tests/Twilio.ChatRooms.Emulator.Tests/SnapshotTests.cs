using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.TestSupport;
using Twilio.Clients;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using UserResource = Twilio.Rest.Conversations.V1.Service.UserResource;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// Snapshots and YAML seeds: a snapshot taken over REST or from C# puts back everything it held (media bytes too),
/// durably, while connected clients see the changes; snapshots taken while writers write are each a consistent state;
/// names, conflicts and strangers are refused as Twilio refuses bad input.
/// </summary>
public sealed class SnapshotTests : IDisposable
{
    private const string YamlSeed = """
        # the same shape as the JSON seed
        users:
          - identity: alice
            friendlyName: Alice
            attributes: { level: 3, admin: true }
          - identity: bob
        conversations:
          - uniqueName: general
            participants: [ { identity: alice }, { identity: bob } ]
            messages:
              - { author: alice, body: Welcome }
              - { author: bob, body: "Hi!" }
          - uniqueName: random
        """;

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private readonly TemporaryDirectory _temporary = new("emulator-snapshots-");

    private string Folder => _temporary.Path;

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Restore_AfterChanges_PutsBackEverythingTheSnapshotHeld_DurablyAndVisiblyToClients()
    {
        List<string> conversationsBefore;
        List<(string?, string?, int)> messagesBefore;
        string mediaSid;
        await using (var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = Folder, Ct))
        {
            var client = EmulatorClients.Twilio(server);
            using var http = EmulatorClients.Raw(server);
            await server.SeedAsync(YamlSeed, Ct);
            mediaSid = await UploadAsync(http, server);
            await MessageResource.CreateAsync("general", author: "alice", mediaSid: mediaSid, client: client);
            conversationsBefore = await ConversationSidsAsync(client);
            messagesBefore = await MessagesAsync(client, "general");

            var taken = await http.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", "before")), Ct);
            taken.StatusCode.Should().Be(HttpStatusCode.Created);
            var info = await taken.Content.ReadFromJsonAsync<JsonElement>(Ct);
            info.GetProperty("name").GetString().Should().Be("before");
            info.GetProperty("media_files").GetInt32().Should().Be(1);
            info.GetProperty("media_bytes").GetInt64().Should().Be(Png.Length);

            // Everything changes: a room goes, another comes (with alice in it), a message goes with its file, bob leaves.
            await ConversationResource.DeleteAsync("random", client: client);
            var later = await ConversationResource.CreateAsync(uniqueName: "later", client: client);
            await ParticipantResource.CreateAsync(later.Sid, identity: "alice", client: client);
            var general = (await MessageResource.ReadAsync("general", client: client)).ToList();
            await MessageResource.DeleteAsync("general", general.Single(m => m.Media is not null).Sid, client: client);
            await MessageResource.CreateAsync("general", author: "bob", body: "after the snapshot", client: client);
            var bob = (await ParticipantResource.ReadAsync("general", client: client)).Single(p => p.Identity == "bob");
            await ParticipantResource.DeleteAsync("general", bob.Sid, client: client);
            await UserResource.UpdateAsync(server.DefaultServiceSid, "alice", friendlyName: "Renamed", client: client);
            (await http.GetAsync($"mcs/v1/Services/{server.DefaultServiceSid}/Media/{mediaSid}/Content", Ct)).StatusCode
                .Should().Be(HttpStatusCode.NotFound, "the file went with its message");

            await using var alice = await Twilsock.ConnectAsync(server, "alice", Ct);
            var (myConversations, _) = await Twilsock.SyncObjectsAsync(alice, Ct);
            await alice.SubscribeAsync([myConversations], Ct);

            await server.RestoreSnapshotAsync("before", Ct);

            await Twilsock.WaitForEventAsync(alice, "map_item_removed", myConversations, e => (string?)e["item_key"] == later.Sid, Ct);
            await AssertAsBeforeAsync(server);
        }

        // Durable: a restart finds the restored state, and the snapshot still listed.
        await using var restarted = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = Folder, Ct);
        await AssertAsBeforeAsync(restarted);
        using var again = EmulatorClients.Raw(restarted);
        var listed = await again.GetFromJsonAsync<JsonElement>("admin/snapshots", Ct);
        listed.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal("before");

        async Task AssertAsBeforeAsync(ConversationsEmulatorServer server)
        {
            var client = EmulatorClients.Twilio(server);
            (await ConversationSidsAsync(client)).Should().Equal(conversationsBefore, "the same rooms, with their SIDs");
            (await MessagesAsync(client, "general")).Should().Equal(messagesBefore);
            (await ParticipantResource.ReadAsync("general", client: client)).Select(p => p.Identity).Should().BeEquivalentTo(["alice", "bob"]);
            (await UserResource.FetchAsync(server.DefaultServiceSid, "alice", client: client)).FriendlyName.Should().Be("Alice");
            using var http = EmulatorClients.Raw(server);
            (await http.GetByteArrayAsync($"mcs/v1/Services/{server.DefaultServiceSid}/Media/{mediaSid}/Content", Ct)).Should().Equal(Png);
            var created = await ConversationResource.CreateAsync(uniqueName: EmulatorClients.Unique("next"), client: client);
            (await ConversationResource.FetchAsync(created.Sid, client: client)).Sid.Should().Be(created.Sid, "writes go on after a restore");
            await ConversationResource.DeleteAsync(created.Sid, client: client);
        }
    }

    [Fact]
    public async Task Restore_RaisesEventsOnlyForWhatItChanges()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        await server.SeedAsync(YamlSeed, Ct);
        var general = await ConversationResource.FetchAsync("general", client: client);
        var participants = (await ParticipantResource.ReadAsync(general.Sid, client: client)).ToDictionary(p => p.Identity, p => p.Sid);
        var messages = (await MessageResource.ReadAsync(general.Sid, client: client)).ToList();
        await server.TakeSnapshotAsync("before", cancellationToken: Ct);

        // Two things change after the snapshot, beside others that do not: bob's attributes and the second message.
        await ParticipantResource.UpdateAsync(general.Sid, participants["bob"], attributes: """{"away":true}""", client: client);
        await MessageResource.UpdateAsync(general.Sid, messages[1].Sid, body: "edited", client: client);

        await using var alice = await Twilsock.ConnectAsync(server, "alice", Ct);
        var (myConversations, myUserInfo) = await Twilsock.SyncObjectsAsync(alice, Ct);
        var channel = general.Sid + ".channel";
        var list = general.Sid + ".messages";
        var roster = general.Sid + ".roster";
        (await alice.SubscribeAsync([myConversations, myUserInfo, channel, list, roster], Ct)).Values
            .Should().AllBe("subscription_established");

        await server.RestoreSnapshotAsync("before", Ct);

        // After the restore, one change on each object: its events arrive in commit order, so once this one is here,
        // every event the restore raised on that object is here too. (The document's are checked at once, since a later
        // message updates it too; an update of it still queued when the rename commits would be merged into the rename's.)
        await ConversationResource.UpdateAsync(general.Sid, friendlyName: "after the restore", client: client);
        await Twilsock.WaitForEventAsync(alice, "document_updated", channel,
            e => (string?)e["document_data"]?["friendlyName"] == "after the restore", Ct);
        Twilsock.Events(alice, "document_updated", channel).Should().ContainSingle("the conversation did not change until after");
        await MessageResource.CreateAsync(general.Sid, author: "alice", body: "after the restore", client: client);
        await Twilsock.WaitForEventAsync(alice, "list_item_added", list, e => (int?)e["item_index"] == 2, Ct);
        await ParticipantResource.UpdateAsync(general.Sid, participants["alice"], attributes: """{"after":true}""", client: client);
        await Twilsock.WaitForEventAsync(alice, "map_item_updated", roster, e => (string?)e["item_key"] == participants["alice"], Ct);
        await Twilsock.WaitForEventAsync(alice, "map_item_updated", myConversations, e => (string?)e["item_key"] == general.Sid, Ct);
        await UserResource.UpdateAsync(server.DefaultServiceSid, "alice", friendlyName: "After", client: client);
        await Twilsock.WaitForEventAsync(alice, "map_item_updated", myUserInfo, e => (string?)e["item_key"] == "attributes", Ct);

        Twilsock.Events(alice, "list_item_updated", list).Select(e => ((int?)e["item_index"], (string?)e["item_data"]?["text"]))
            .Should().Equal([(1, "Hi!")], "only the edited message is put back");
        Twilsock.Events(alice, "map_item_updated", roster).Select(e => (string?)e["item_key"])
            .Should().Equal([participants["bob"], participants["alice"]], "bob's attributes are put back; alice's did not change until after");
        Twilsock.Events(alice, "map_item_updated", myConversations).Should().ContainSingle("alice's membership did not change until after");
        Twilsock.Events(alice, "map_item_updated", myUserInfo).Select(e => (string?)e["item_key"])
            .Where(k => k != "reachability").Should().Equal(["friendlyName", "attributes"], "alice did not change until after (a user's update is both items)");
        Twilsock.Events(alice, "list_item_added", list).Should().ContainSingle();
        Twilsock.Events(alice, "list_item_removed", list).Should().BeEmpty();
    }

    [Fact]
    public async Task Snapshots_TakenWhileWritersWrite_AreEachAConsistentState()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(uniqueName: "busy", client: client);
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = Task.Run(async () =>
        {
            var i = 0;
            while (!writing.IsCancellationRequested)
            {
                await MessageResource.CreateAsync(room.Sid, author: "writer", body: $"m{i++}", client: client);
            }
        }, Ct);

        var names = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(50, Ct);
            await server.TakeSnapshotAsync($"busy-{i}", cancellationToken: Ct);
            names.Add($"busy-{i}");
        }

        await writing.CancelAsync();
        await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        var counts = new List<int>();
        foreach (var name in names)
        {
            await server.RestoreSnapshotAsync(name, Ct);
            var messages = await MessagesAsync(client, room.Sid);
            messages.Select(m => m.Item3).Should().Equal(Enumerable.Range(0, messages.Count), "a snapshot holds every message up to a point, none missing");
            messages.Select(m => m.Item2).Should().Equal(Enumerable.Range(0, messages.Count).Select(i => $"m{i}"));
            counts.Add(messages.Count);
        }

        counts.Should().BeInAscendingOrder().And.Subject.Last().Should().BeGreaterThan(0, "the writer wrote while the snapshots were taken");
    }

    [Fact]
    public async Task SnapshotEndpoints_RefuseBadNamesConflictsAndStrangers_AndDeleteWhatTheyList()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);   // in memory
        using var http = EmulatorClients.Raw(server);
        using var stranger = new HttpClient { BaseAddress = new Uri(server.BaseAddress + "/") };
        await ConversationResource.CreateAsync(uniqueName: "kept", client: EmulatorClients.Twilio(server));

        (await stranger.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", "x")), Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await ExpectAsync(await http.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", "../escape")), Ct), 400, 20001, "snapshot name");
        await ExpectAsync(await http.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", ".hidden")), Ct), 400, 20001, "snapshot name");
        (await http.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", "one")), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);
        await ExpectAsync(await http.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", "one")), Ct), 409, 20001, "exists");
        (await http.PostAsync("admin/snapshots", EmulatorClients.Form(("Name", "one"), ("Replace", "true")), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);
        var unnamed = await (await http.PostAsync("admin/snapshots", EmulatorClients.Form(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        unnamed.GetProperty("name").GetString().Should().StartWith("snapshot-");

        var listed = await http.GetFromJsonAsync<JsonElement>("admin/snapshots", Ct);
        listed.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("name").GetString())
            .Should().BeEquivalentTo(["one", unnamed.GetProperty("name").GetString()]);
        await ExpectAsync(await http.PostAsync("admin/snapshots/nothing/restore", null, Ct), 404, 20404, "no snapshot named 'nothing'");
        (await http.DeleteAsync("admin/snapshots/one", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await ExpectAsync(await http.DeleteAsync("admin/snapshots/one", Ct), 404, 20404, "no snapshot");
        await ExpectAsync(await http.PostAsync("admin/snapshots/one/restore", null, Ct), 404, 20404, "no snapshot");
        (await ConversationResource.ReadAsync(client: EmulatorClients.Twilio(server))).Select(c => c.UniqueName).Should().Equal("kept");
    }

    [Fact]
    public async Task SnapshotOnExit_IsTakenAsTheEmulatorStops_AndAnotherEmulatorsSnapshotIsRefused()
    {
        var data = Path.Combine(Folder, "data");
        string kept;
        await using (var server = await ConversationsEmulatorServer.StartAsync(o => (o.DataDirectory, o.SnapshotOnExit) = (data, "last"), Ct))
        {
            kept = (await ConversationResource.CreateAsync(uniqueName: "kept", client: EmulatorClients.Twilio(server))).Sid;
        }

        await using (var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = data, Ct))
        {
            var client = EmulatorClients.Twilio(server);
            await ConversationResource.DeleteAsync(kept, client: client);
            await server.RestoreSnapshotAsync("last", Ct);
            (await ConversationSidsAsync(client)).Should().Equal(kept);
        }

        // A snapshot folder copied from another emulator's data directory holds another service: refused, nothing changed.
        var other = Path.Combine(Folder, "other");
        await using (var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = other, Ct))
        {
            await ConversationResource.CreateAsync(uniqueName: "theirs", client: EmulatorClients.Twilio(server));
            await server.TakeSnapshotAsync("foreign", cancellationToken: Ct);
        }

        Directory.Move(Path.Combine(other, "snapshots", "foreign"), Path.Combine(data, "snapshots", "foreign"));
        await using var ours = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = data, Ct);
        var restore = () => ours.RestoreSnapshotAsync("foreign", Ct);
        (await restore.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("another emulator's service");
        (await ConversationSidsAsync(EmulatorClients.Twilio(ours))).Should().Equal(kept);
    }

    [Fact]
    public async Task YamlSeed_IsReadAsItsJson_AndBadYamlIsRefusedWithItsLine()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        using var http = EmulatorClients.Raw(server);

        (await http.PostAsync("admin/seed", EmulatorClients.Form(("Seed", YamlSeed)), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);

        (await ConversationResource.ReadAsync(client: client)).Select(c => c.UniqueName).Should().Equal("general", "random");
        (await MessagesAsync(client, "general")).Select(m => (m.Item1, m.Item2)).Should().Equal(("alice", "Welcome"), ("bob", "Hi!"));
        var attributes = JsonNode.Parse((await UserResource.FetchAsync(server.DefaultServiceSid, "alice", client: client)).Attributes)!;
        attributes["level"]!.GetValue<int>().Should().Be(3, "an unquoted number is a number");
        attributes["admin"]!.GetValue<bool>().Should().BeTrue();

        await ExpectAsync(await http.PostAsync("admin/seed", EmulatorClients.Form(("Seed", "users:\n  - identity: carol\n   bad: [")), Ct), 400, 20001, "not valid YAML at line");
        await ExpectAsync(await http.PostAsync("admin/seed", EmulatorClients.Form(("Seed", "users:\n  - identity: carol\n    colour: red\n")), Ct), 400, 20001, "colour");
        await ExpectAsync(await http.PostAsync("admin/seed", EmulatorClients.Form(("Seed", "- just\n- a list\n")), Ct), 400, 20001, "not an object");
        (await UserResource.ReadAsync(server.DefaultServiceSid, client: client)).Select(u => u.Identity).Should().BeEquivalentTo(["alice", "bob"]);
    }

    private static async Task<string> UploadAsync(HttpClient http, ConversationsEmulatorServer server)
    {
        using var content = new ByteArrayContent(Png) { Headers = { ContentType = new("image/png") } };
        using var response = await http.PostAsync($"mcs/v1/Services/{server.DefaultServiceSid}/Media?Filename=dot.png", content, Ct);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["sid"]!.GetValue<string>();
    }

    private static async Task<List<string>> ConversationSidsAsync(ITwilioRestClient client) =>
        [.. (await ConversationResource.ReadAsync(client: client)).Select(c => c.Sid)];

    /// <summary>Author, body and index of each message, oldest first.</summary>
    private static async Task<List<(string?, string?, int)>> MessagesAsync(ITwilioRestClient client, string conversation) =>
        [.. (await MessageResource.ReadAsync(conversation, client: client)).Select(m => (m.Author, m.Body, m.Index ?? -1))];

    private static async Task ExpectAsync(HttpResponseMessage response, int status, int code, string message)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        ((int)response.StatusCode).Should().Be(status, body.ToString());
        body.GetProperty("code").GetInt32().Should().Be(code);
        body.GetProperty("message").GetString().Should().Contain(message);
    }
}
