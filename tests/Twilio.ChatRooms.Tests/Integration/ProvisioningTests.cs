using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests.Integration;

public sealed class ProvisioningTests
{
    [Fact]
    public async Task Provision_NewUser_JoinsEveryRoomAndReturnsThemInListOrder()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            await lib.Admin.CreateRoomAsync(name, Ct);
        }

        var rooms = await lib.Provisioner.ProvisionAsync("alice", Ct);

        var listed = await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        rooms.Should().Equal(listed);
        rooms.Select(r => r.Name).Should().Contain(["alpha", "beta", "gamma"]);
        (await EmulatorRest.MembershipsAsync(lib, "alice")).Should().BeEquivalentTo(listed.Select(r => r.Sid));
    }

    [Fact]
    public async Task Provision_ReturningUser_IsIdempotentAndJoinsNewRooms()
    {
        await using var lib = await EmulatedLibrary.StartAsync(o => o.ProvisioningConcurrency = 4);
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        for (var i = 0; i < 12; i++)
        {
            await lib.Admin.CreateRoomAsync($"room-{i:D2}", Ct);
        }

        var first = await lib.Provisioner.ProvisionAsync("bob", Ct);
        var second = await lib.Provisioner.ProvisionAsync("bob", Ct);
        var added = await lib.Admin.CreateRoomAsync("late-room", Ct);
        var third = await lib.Provisioner.ProvisionAsync("bob", Ct);

        second.Should().Equal(first);
        third.Should().Contain(added).And.HaveCount(first.Count + 1);
        var memberships = await EmulatorRest.MembershipsAsync(lib, "bob");
        memberships.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(third.Select(r => r.Sid));
    }

    [Fact]
    public async Task Provision_105Rooms_NewUserAddsAllThenReturningUserAddsNone()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await Parallel.ForEachAsync(Enumerable.Range(0, 105), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
            await lib.Admin.CreateRoomAsync($"many-{i:D3}", ct));
        lib.Requests.Clear();

        var first = await lib.Provisioner.ProvisionAsync("henry", Ct);
        var firstRequests = lib.Requests.ToList();
        lib.Requests.Clear();
        var second = await lib.Provisioner.ProvisionAsync("henry", Ct);
        var secondRequests = lib.Requests.ToList();

        first.Should().HaveCount(105);
        second.Should().Equal(first);
        firstRequests.Count(r => r.StartsWith("POST", StringComparison.Ordinal) && r.EndsWith("/Participants", StringComparison.Ordinal)).Should().Be(105);
        firstRequests.Should().NotContain(r => r.EndsWith("/Users/henry/Conversations", StringComparison.Ordinal), "a new user belongs to no room");
        secondRequests.Should().NotContain(r => r.EndsWith("/Participants", StringComparison.Ordinal));
        secondRequests.Count(r => r.EndsWith("/Users/henry/Conversations", StringComparison.Ordinal)).Should().Be(3, "105 memberships span three pages of 50");
        secondRequests.Should().NotContain(r => r.EndsWith("/Roles", StringComparison.Ordinal), "the role SID is cached");
        secondRequests.Should().NotContain(r => r.EndsWith("/Configuration", StringComparison.Ordinal), "the service SID is cached");
        (await EmulatorRest.MembershipsAsync(lib, "henry")).Should().HaveCount(105);
    }

    [Fact]
    public async Task Provision_ConcurrentLoginsOfOneUser_AllSucceed()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        for (var i = 0; i < 5; i++)
        {
            await lib.Admin.CreateRoomAsync($"c-{i}", Ct);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => lib.Provisioner.ProvisionAsync("carol", Ct)));

        results.Should().AllSatisfy(r => r.Should().HaveCount(results[0].Count));
        (await EmulatorRest.MembershipsAsync(lib, "carol")).Should().OnlyHaveUniqueItems().And.HaveCount(results[0].Count);
    }

    [Fact]
    public async Task Provision_MissingRole_ThrowsConfigurationErrorNamingTheRole()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.CreateRoomAsync("room", Ct);

        var act = () => lib.Provisioner.ProvisionAsync("dave", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.Configuration);
        e.Message.Should().Contain("'participant'").And.Contain(lib.Server.DefaultServiceSid)
            .And.Contain("chatrooms setup").And.Contain("joinConversation").And.Contain("editOwnUserInfo");
    }

    [Fact]
    public async Task EnsureParticipantRole_AfterMissingRoleError_LetsProvisioningSucceed()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.CreateRoomAsync("room", Ct);
        await ((Func<Task>)(() => lib.Provisioner.ProvisionAsync("dave", Ct))).Should().ThrowAsync<ChatRoomsException>();

        var setup = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        var rooms = await lib.Provisioner.ProvisionAsync("dave", Ct);

        setup.Change.Should().Be(RoleSetupChange.Created);
        rooms.Select(r => r.Name).Should().Equal("room");
    }

    [Fact]
    public async Task EnsureParticipantRole_WrongPermissions_AreCorrected()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        using (var http = EmulatorRest.RawClient(lib))
        {
            using var form = new FormUrlEncodedContent(
            [
                new("FriendlyName", "participant"), new("Type", "service"),
                new("Permission", "createConversation"), new("Permission", "joinConversation"),
            ]);
            var response = await http.PostAsync($"{lib.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/Services/{lib.Server.DefaultServiceSid}/Roles", form, Ct);
            response.EnsureSuccessStatusCode();
        }

        var setup = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        var again = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);

        setup.Change.Should().Be(RoleSetupChange.PermissionsUpdated);
        again.Change.Should().Be(RoleSetupChange.None);
        again.RoleSid.Should().Be(setup.RoleSid);
    }

    [Theory]
    [InlineData(false, new[] { "joinConversation", "editOwnUserInfo" })]
    [InlineData(true, new[] { "createConversation", "joinConversation", "editOwnUserInfo" })]
    public async Task EnsureParticipantRole_GrantsCreateConversation_OnlyWhenUsersMayCreateConversations(bool usersMayCreate, string[] expected)
    {
        // Off by default: without a pre-event webhook, nothing stops a user's conversation from taking a unique name and
        // posing as a room. Set both ways in turn, so the second setup must correct what the first made.
        await using var lib = await EmulatedLibrary.StartAsync(o => o.UsersMayCreateConversations = !usersMayCreate);
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        var services = new ServiceCollection();
        services.AddTwilioChatRoomsOn(lib.Server.BaseAddress, lib.Server.Credentials, o => o.UsersMayCreateConversations = usersMayCreate);
        await using var other = services.BuildServiceProvider();
        using var http = EmulatorRest.RawClient(lib);

        var setup = await other.GetRequiredService<IParticipantProvisioner>().EnsureParticipantRoleAsync(Ct);

        setup.Change.Should().Be(RoleSetupChange.PermissionsUpdated);

        var role = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(
            new Uri($"{lib.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/Services/{lib.Server.DefaultServiceSid}/Roles/{setup.RoleSid}"), Ct))!;
        role["permissions"]!.AsArray().Select(p => (string)p!).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task EnsureParticipantRole_LetsRoomMembersReact_AddingOnlyEditAnyMessageAttributesToTheDefaultConversationRole()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        using var http = EmulatorRest.RawClient(lib);
        var service = $"{lib.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/Services/{lib.Server.DefaultServiceSid}";
        var defaultRole = (string)System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri($"{service}/Configuration"), Ct))!["default_conversation_role_sid"]!;
        async Task<string[]> PermissionsAsync() =>
            System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri($"{service}/Roles/{defaultRole}"), Ct))!["permissions"]!.AsArray()
                .Select(p => (string)p!).ToArray();
        var before = await PermissionsAsync();
        before.Should().NotContain("editAnyMessageAttributes", "Twilio's channel user edits only its own messages' attributes");

        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);

        (await PermissionsAsync()).Should().BeEquivalentTo([.. before, "editAnyMessageAttributes"], "added once, nothing removed");
    }

    [Fact]
    public async Task EnsureParticipantRole_CustomRole_CreatedThenUnchanged()
    {
        await using var lib = await EmulatedLibrary.StartAsync(o => o.ParticipantRoleName = "chat-user");

        var first = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        var second = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await lib.Admin.CreateRoomAsync("after-setup", Ct);
        var rooms = await lib.Provisioner.ProvisionAsync("erin", Ct);

        first.Change.Should().Be(RoleSetupChange.Created);
        first.RoleName.Should().Be("chat-user");
        first.RoleSid.Should().MatchRegex("^RL[0-9a-f]{32}$");
        first.ServiceSid.Should().Be(lib.Server.DefaultServiceSid);
        second.Should().Be(first with { Change = RoleSetupChange.None });
        rooms.Select(r => r.Name).Should().Contain("after-setup");
    }

    [Fact]
    public async Task Issue_NoServiceSidInOptions_GrantsTheDefaultService()
    {
        await using var lib = await EmulatedLibrary.StartAsync();

        var token = await lib.Tokens.IssueAsync("frank", Ct);

        var (_, payload) = TokenTests.Decode(token.Token, lib.Server.Credentials.ApiKeySecret);
        payload.GetProperty("grants").GetProperty("chat").GetProperty("service_sid").GetString().Should().Be(lib.Server.DefaultServiceSid);
        payload.GetProperty("sub").GetString().Should().Be(lib.Server.Credentials.AccountSid);
    }
}
