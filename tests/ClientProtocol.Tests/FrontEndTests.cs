using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// What Twilio's own demo front end (twilio-conversations-demo-react) needs, through the real @twilio/conversations:
/// the creator of a conversation joins it with the service's <c>default_conversation_creator_role_sid</c> and so may add
/// people; a user changes their own friendly name and attributes (service role <c>editOwnUserInfo</c>) but not someone
/// else's; attribute edits (reactions) are decided by <c>editOwnMessageAttributes</c> / <c>editAnyMessageAttributes</c>,
/// apart from body edits; the notification level is kept and read back.
/// </summary>
public sealed class FrontEndTests
{
    [Fact]
    public async Task DemoFlow_UnderTwiliosDefaultRoles_CreatorAdds_UsersRenameThemselves_AdminReacts_AndMuteIsKept()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(server);
        var (events, v1, roles) = await RunAsync(server, http, grantChannelUser: null);

        string Dump() => string.Join('\n', events);
        Ok(events, "creatorAddsBob").Should().BeTrue(Dump());
        Ok(events, "aliceRenamesHerself").Should().BeTrue(Dump());
        Ok(events, "aliceSetsHerAttributes").Should().BeTrue(Dump());
        One(events, "bobSawRename")["friendlyName"]!.GetValue<string>().Should().Be("Alice A.");
        Ok(events, "bobRenamesAlice").Should().BeFalse("the service user role grants editOwnUserInfo, not editAnyUserInfo");
        Ok(events, "bobRenamesHimself").Should().BeTrue(Dump());

        // The creator is a channel admin (editAnyMessageAttributes); Bob, a channel user, has editOwnMessageAttributes
        // and editOwnMessage only: Twilio's default roles.
        Ok(events, "aliceReactsToBob").Should().BeTrue(Dump());
        One(events, "bobSawReaction")["lastUpdatedBy"]!.GetValue<string>().Should().Be("alice", "she changed Bob's message last");
        Ok(events, "bobReactsToAlice").Should().BeFalse(Dump());
        Ok(events, "bobReactsToOwn").Should().BeTrue(Dump());
        Ok(events, "bobEditsOwnBody").Should().BeTrue(Dump());
        Ok(events, "bobEditsAliceBody").Should().BeFalse(Dump());

        Ok(events, "aliceMutes").Should().BeTrue(Dump());
        One(events, "mutedSeen")["notificationLevel"]!.GetValue<string>().Should().Be("muted");
        One(events, "mutedAfterReconnect")["notificationLevel"]!.GetValue<string>().Should().Be("muted");
        One(events, "bobLevel")["notificationLevel"]!.GetValue<string>().Should().Be("default", "the level is each user's own");

        var sid = One(events, "room")["sid"]!.GetValue<string>();
        var participants = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Conversations/{sid}/Participants"), Ct))!["participants"]!.AsArray();
        participants.Single(p => (string)p!["identity"]! == "alice")!["role_sid"]!.GetValue<string>().Should().Be(roles["channel admin"]);
        participants.Single(p => (string)p!["identity"]! == "bob")!["role_sid"]!.GetValue<string>().Should().Be(roles["channel user"]);
        var serviceSid = (string)participants[0]!["chat_service_sid"]!;
        var configuration = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Services/{serviceSid}/Configuration"), Ct))!;
        configuration["default_conversation_creator_role_sid"]!.GetValue<string>().Should().Be(roles["channel admin"]);

        var alice = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Users/alice"), Ct))!;
        alice["friendly_name"]!.GetValue<string>().Should().Be("Alice A.");
        JsonNode.Parse(alice["attributes"]!.GetValue<string>())!["pronouns"]!.GetValue<string>().Should().Be("she");
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Users/bob"), Ct))!["friendly_name"]!.GetValue<string>().Should().Be("Bobby");
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Users/alice/Conversations/{sid}"), Ct))!["notification_level"]!
            .GetValue<string>().Should().Be("muted");
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Users/bob/Conversations/{sid}"), Ct))!["notification_level"]!
            .GetValue<string>().Should().Be("default");

        var messages = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Conversations/{sid}/Messages"), Ct))!["messages"]!.AsArray();
        messages.Select(m => (string)m!["body"]!).Should().Equal("from alice", "from bob, edited");
        Reactors(messages[0]!).Should().BeEmpty("Bob's reaction to Alice's message was refused");
        Reactors(messages[1]!).Should().Equal("bob"); // Alice's reaction, then Bob's own, each replacing the attributes whole
    }

    [Fact]
    public async Task ChannelUserGrantedOnlyAttributeEdits_ReactsToAnyMessage_ButEditsNoBody()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(server);
        var (events, v1, _) = await RunAsync(server, http,
            grantChannelUser: ["sendMessage", "leaveConversation", "editOwnMessageAttributes", "editAnyMessageAttributes", "editNotificationLevel"]);

        string Dump() => string.Join('\n', events);
        Ok(events, "bobReactsToAlice").Should().BeTrue(Dump());
        Ok(events, "bobReactsToOwn").Should().BeTrue(Dump());
        Ok(events, "bobEditsOwnBody").Should().BeFalse("the role has no editOwnMessage");
        Ok(events, "bobEditsAliceBody").Should().BeFalse("the role has no editAnyMessage");

        var sid = One(events, "room")["sid"]!.GetValue<string>();
        var messages = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Conversations/{sid}/Messages"), Ct))!["messages"]!.AsArray();
        messages.Select(m => (string)m!["body"]!).Should().Equal("from alice", "from bob");
        Reactors(messages[0]!).Should().Equal("bob");
        One(events, "aliceMessageReadBack")["lastUpdatedBy"]!.GetValue<string>().Should().Be("bob", "a message read back keeps who changed it last");
    }

    private static async Task<(IReadOnlyList<JsonObject> Events, string V1, Dictionary<string, string> Roles)> RunAsync(
        ConversationsEmulatorServer server, HttpClient http, string[]? grantChannelUser)
    {
        await using var library = EmulatorBackedLibrary.Create(server);
        var v1 = server.BaseAddress.ToString().TrimEnd('/') + "/v1";
        var roles = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Roles"), Ct))!["roles"]!.AsArray()
            .ToDictionary(r => (string)r!["friendly_name"]!, r => (string)r!["sid"]!);
        if (grantChannelUser is not null)
        {
            using var form = new FormUrlEncodedContent(grantChannelUser.Select(p => new KeyValuePair<string, string>("Permission", p)));
            using var response = await http.PostAsync(new Uri($"{v1}/Roles/{roles["channel user"]}"), form, Ct);
            response.EnsureSuccessStatusCode();
        }

        // No provisioning: each user is created on first connection with the service's default role, as on Twilio.
        var events = await RunProbeAsync(server, "conversations-frontend-probe.mjs",
            [await library.TokenAsync("alice"), await library.TokenAsync("bob"), $"{v1}/Conversations", EmulatorClients.Basic(server.Credentials).Parameter!]);
        return (events, v1, roles);
    }

    private static bool Ok(IReadOnlyList<JsonObject> events, string name) => One(events, name)["ok"]!.GetValue<bool>();

    private static IEnumerable<string> Reactors(JsonNode message) =>
        JsonNode.Parse((string)message["attributes"]!)!["reactions"]?["thumbs_up"]?.AsArray().Select(i => (string)i!) ?? [];
}
