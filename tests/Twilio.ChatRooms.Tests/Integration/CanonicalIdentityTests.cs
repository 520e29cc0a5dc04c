namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>Every entry point sends the canonical identity, so the spellings of one name reach one Twilio user.</summary>
public sealed class CanonicalIdentityTests
{
    private static async Task<List<string>> UsersAsync(EmulatedLibrary lib)
        => [.. (await EmulatorRest.ReadAllAsync(lib, "/Users", "users")).Select(u => u.GetProperty("identity").GetString()!)];

    [Fact]
    public async Task EntryPoints_SpellingsOfOneName_ReachOneTwilioUser()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        var general = await lib.Admin.CreateRoomAsync("general", Ct);

        var provisioned = await lib.Provisioner.ProvisionAsync("Alice", Ct);
        var ensured = await lib.Provisioner.EnsureUserAsync("ALICE", Ct);
        var joined = await lib.Provisioner.JoinRoomAsync("\uff41\uff4c\uff49\uff43\uff45", "general", Ct);
        var token = await lib.Tokens.IssueAsync("AlIcE", Ct);

        provisioned.Should().Equal(general);
        ensured.Should().Equal([general], "the user ProvisionAsync made is the one EnsureUserAsync finds");
        joined.Should().Be(general);
        token.Identity.Should().Be("alice");
        (await UsersAsync(lib)).Should().Equal("alice");
        (await EmulatorRest.IdentitiesAsync(lib, general.Sid)).Should().Equal("alice");

        await lib.Provisioner.LeaveRoomAsync("ALICE", "general", Ct);

        (await EmulatorRest.IdentitiesAsync(lib, general.Sid)).Should().BeEmpty("leaving as ALICE removed alice");
    }

    [Fact]
    public async Task StartPrivate_CapitalizedAndDecomposedNames_OneConversationOfTheCanonicalUsers()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await lib.Provisioner.EnsureUserAsync("ren\u00e9", Ct);

        var first = await lib.Private.StartAsync("Alice", "RENE\u0301", Ct);
        var second = await lib.Private.StartAsync("ren\u00e9", "alice", Ct);

        first.Members.Should().Equal("alice", "ren\u00e9");
        second.Sid.Should().Be(first.Sid);
        (await UsersAsync(lib)).Should().BeEquivalentTo("alice", "ren\u00e9");
        (await EmulatorRest.IdentitiesAsync(lib, first.Sid)).Should().BeEquivalentTo("alice", "ren\u00e9");
    }

    [Fact]
    public async Task Provision_LookAlikeWithCyrillicLetter_IsRefusedAndCreatesNobody()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await lib.Provisioner.EnsureUserAsync("alice", Ct);

        var act = () => lib.Provisioner.ProvisionAsync("\u0430lice", Ct);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("identity");
        (await UsersAsync(lib)).Should().Equal("alice");
    }

    [Theory]
    [InlineData("a/b", "x/y")]
    [InlineData("%2e", "%2e")]
    [InlineData("%2e%2e", "...")]
    public async Task JoinAndLeave_NamesThatLookLikePaths_RoundTripAsThemselves(string identity, string roomName)
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        var created = await lib.Admin.CreateRoomAsync(roomName, Ct);

        var fetched = await lib.Admin.GetRoomAsync(roomName, Ct);
        var joined = await lib.Provisioner.JoinRoomAsync(identity, roomName, Ct);
        var rooms = await lib.Provisioner.EnsureUserAsync(identity, Ct);

        fetched.Should().Be(created);
        joined.Should().Be(created);
        rooms.Should().Equal(created);
        created.Name.Should().Be(roomName);
        (await UsersAsync(lib)).Should().Equal(identity);
        (await EmulatorRest.IdentitiesAsync(lib, created.Sid)).Should().Equal(identity);

        await lib.Provisioner.LeaveRoomAsync(identity, roomName, Ct);

        (await EmulatorRest.IdentitiesAsync(lib, created.Sid)).Should().BeEmpty();
        (await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct)).Should().Equal(created);
    }
}
