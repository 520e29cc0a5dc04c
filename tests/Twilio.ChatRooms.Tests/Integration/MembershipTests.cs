namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>Optional joining: <c>EnsureUserAsync</c>, <c>JoinRoomAsync</c> and <c>LeaveRoomAsync</c>, against the emulator.</summary>
public sealed class MembershipTests
{
    private static async Task<(EmulatedLibrary Lib, ParticipantRoleSetup Role)> StartAsync(params string[] rooms)
    {
        var lib = await EmulatedLibrary.StartAsync();
        var role = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        foreach (var room in rooms)
        {
            await lib.Admin.CreateRoomAsync(room, Ct);
        }

        return (lib, role);
    }

    [Fact]
    public async Task EnsureUser_NewUser_CreatesItWithTheParticipantRoleAndJoinsNoRoom()
    {
        var (lib, role) = await StartAsync("general", "random");
        await using var _ = lib;

        var rooms = await lib.Provisioner.EnsureUserAsync("alice", Ct);

        rooms.Should().BeEmpty();
        var user = await EmulatorRest.FetchAsync(lib, "/Users/alice");
        user.Should().NotBeNull();
        user!.Value.GetProperty("role_sid").GetString().Should().Be(role.RoleSid);
        (await EmulatorRest.MembershipsAsync(lib, "alice")).Should().BeEmpty();
        (await EmulatorRest.IdentitiesAsync(lib, "general")).Should().BeEmpty();
    }

    [Fact]
    public async Task EnsureUser_ReturningUser_ReturnsItsRoomsInTheServicesOrderAndJoinsNothing()
    {
        var (lib, _) = await StartAsync("alpha", "beta", "gamma");
        await using var _l = lib;
        var gamma = await lib.Provisioner.JoinRoomAsync("bob", "gamma", Ct);
        var alpha = await lib.Provisioner.JoinRoomAsync("bob", "alpha", Ct);

        var rooms = await lib.Provisioner.EnsureUserAsync("bob", Ct);
        var again = await lib.Provisioner.EnsureUserAsync("bob", Ct);

        var memberships = await EmulatorRest.MembershipsAsync(lib, "bob");
        rooms.Should().BeEquivalentTo([gamma, alpha]);
        rooms.Select(r => r.Sid).Should().Equal(memberships);
        again.Should().Equal(rooms);
        (await EmulatorRest.IdentitiesAsync(lib, "beta")).Should().NotContain("bob");
    }

    [Fact]
    public async Task EnsureUser_ReturningUser_ReadsMembershipsOnceAndAddsNoParticipant()
    {
        var (lib, _) = await StartAsync("alpha", "beta");
        await using var _l = lib;
        await lib.Provisioner.JoinRoomAsync("carol", "beta", Ct);
        lib.Requests.Clear();

        var rooms = await lib.Provisioner.EnsureUserAsync("carol", Ct);

        rooms.Select(r => r.Name).Should().Equal("beta");
        lib.Requests.Should().Equal(
            $"POST /emulator/v1/Services/{lib.Server.DefaultServiceSid}/Users",
            $"GET /emulator/v1/Services/{lib.Server.DefaultServiceSid}/Users/carol/Conversations");
    }

    [Fact]
    public async Task EnsureUser_MissingRole_ThrowsConfiguration()
    {
        await using var lib = await EmulatedLibrary.StartAsync();

        var act = () => lib.Provisioner.EnsureUserAsync("dave", Ct);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.Configuration);
        (await EmulatorRest.FetchAsync(lib, "/Users/dave")).Should().BeNull();
    }

    [Fact]
    public async Task JoinRoom_NotAMember_AddsTheParticipantAndReturnsTheRoom()
    {
        var (lib, _) = await StartAsync("general", "random");
        await using var _l = lib;
        var general = await lib.Admin.GetRoomAsync("general", Ct);

        var joined = await lib.Provisioner.JoinRoomAsync("erin", "general", Ct);

        joined.Should().Be(general);
        (await EmulatorRest.IdentitiesAsync(lib, "general")).Should().Equal("erin");
        (await EmulatorRest.IdentitiesAsync(lib, "random")).Should().BeEmpty();
    }

    [Fact]
    public async Task JoinRoom_UnknownUser_CreatesItWithTheParticipantRole()
    {
        var (lib, role) = await StartAsync("general");
        await using var _l = lib;

        await lib.Provisioner.JoinRoomAsync("newcomer", "general", Ct);

        (await EmulatorRest.FetchAsync(lib, "/Users/newcomer"))!.Value.GetProperty("role_sid").GetString().Should().Be(role.RoleSid);
    }

    [Fact]
    public async Task JoinRoom_AlreadyAMember_SucceedsWithOneParticipant()
    {
        var (lib, _) = await StartAsync("general");
        await using var _l = lib;
        var first = await lib.Provisioner.JoinRoomAsync("frank", "general", Ct);

        var second = await lib.Provisioner.JoinRoomAsync("frank", "general", Ct);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => lib.Provisioner.JoinRoomAsync("frank", "general", Ct)));

        second.Should().Be(first);
        concurrent.Should().AllBeEquivalentTo(first);
        (await EmulatorRest.IdentitiesAsync(lib, "general")).Should().Equal("frank");
    }

    [Fact]
    public async Task JoinRoom_MissingRoom_ThrowsNotFoundNamingTheRoom()
    {
        var (lib, _) = await StartAsync();
        await using var _l = lib;

        var act = () => lib.Provisioner.JoinRoomAsync("grace", "nowhere", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be("Chat room 'nowhere' not found.");
    }

    [Fact]
    public async Task Groups_AndConversationsWithoutAUniqueName_AreNoRooms_NeitherListedNorJoinedByNameOrSid()
    {
        var (lib, _) = await StartAsync("general");
        await using var _l = lib;
        // What a user's SDK makes: a group (the React client's marker), given a unique name too, and an unmarked one
        // without a unique name (Twilio's demo).
        var group = await EmulatorRest.PostAsync(lib, "/Conversations", KeyValuePair.Create("FriendlyName", "book club"),
            KeyValuePair.Create("UniqueName", "book-club"), KeyValuePair.Create("Attributes", """{"chatrooms":{"kind":"group"}}"""));
        var demo = await EmulatorRest.PostAsync(lib, "/Conversations", KeyValuePair.Create("FriendlyName", "demo chat"));

        (await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct)).Select(r => r.Name).Should().Equal("general");
        foreach (var key in new[] { "book-club", group.GetProperty("sid").GetString()!, demo.GetProperty("sid").GetString()! })
        {
            var act = () => lib.Provisioner.JoinRoomAsync("mallory", key, Ct);
            (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.NotFound, key);
        }

        (await EmulatorRest.IdentitiesAsync(lib, "book-club")).Should().BeEmpty();
        (await EmulatorRest.IdentitiesAsync(lib, demo.GetProperty("sid").GetString()!)).Should().BeEmpty();
    }

    [Fact]
    public async Task LeaveRoom_Member_RemovesOnlyThatParticipant()
    {
        var (lib, _) = await StartAsync("general", "random");
        await using var _l = lib;
        await lib.Provisioner.JoinRoomAsync("heidi", "general", Ct);
        await lib.Provisioner.JoinRoomAsync("heidi", "random", Ct);
        await lib.Provisioner.JoinRoomAsync("ivan", "general", Ct);

        await lib.Provisioner.LeaveRoomAsync("heidi", "general", Ct);

        (await EmulatorRest.IdentitiesAsync(lib, "general")).Should().Equal("ivan");
        (await EmulatorRest.IdentitiesAsync(lib, "random")).Should().Equal("heidi");
        (await lib.Provisioner.EnsureUserAsync("heidi", Ct)).Select(r => r.Name).Should().Equal("random");
    }

    [Fact]
    public async Task LeaveRoom_NotAMember_IsANoOp()
    {
        var (lib, _) = await StartAsync("general");
        await using var _l = lib;
        await lib.Provisioner.JoinRoomAsync("judy", "general", Ct);
        await lib.Provisioner.EnsureUserAsync("kim", Ct);

        await lib.Provisioner.LeaveRoomAsync("kim", "general", Ct);
        await lib.Provisioner.LeaveRoomAsync("never-a-user", "general", Ct);
        await lib.Provisioner.LeaveRoomAsync("judy", "general", Ct);
        await lib.Provisioner.LeaveRoomAsync("judy", "general", Ct);

        (await EmulatorRest.IdentitiesAsync(lib, "general")).Should().BeEmpty();
    }

    [Fact]
    public async Task LeaveRoom_MissingRoom_ThrowsNotFoundNamingTheRoom()
    {
        var (lib, _) = await StartAsync();
        await using var _l = lib;

        var act = () => lib.Provisioner.LeaveRoomAsync("leo", "nowhere", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be("Chat room 'nowhere' not found.");
    }

    [Fact]
    public async Task JoinThenLeave_NameNeedingEscaping_RoundTrips()
    {
        var (lib, _) = await StartAsync("ünïcødé 房间?#");
        await using var _l = lib;

        var joined = await lib.Provisioner.JoinRoomAsync("mallory/o'neil?#%2e", "ünïcødé 房间?#", Ct);
        var rooms = await lib.Provisioner.EnsureUserAsync("mallory/o'neil?#%2e", Ct);
        await lib.Provisioner.LeaveRoomAsync("mallory/o'neil?#%2e", "ünïcødé 房间?#", Ct);

        rooms.Should().Equal(joined);
        (await EmulatorRest.IdentitiesAsync(lib, joined.Sid)).Should().BeEmpty();
    }
}
