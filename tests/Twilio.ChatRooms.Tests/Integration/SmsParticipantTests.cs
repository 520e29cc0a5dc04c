using System.Text.Json;

namespace Twilio.ChatRooms.Tests.Integration;

public sealed class SmsParticipantTests
{
    private const string Phone = "+15551230001";
    private const string Proxy = "+15550000001";

    private static async Task<EmulatedLibrary> StartAsync(params string[] rooms)
    {
        var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        foreach (var room in rooms)
        {
            await lib.Admin.CreateRoomAsync(room, Ct);
        }

        return lib;
    }

    [Fact]
    public async Task AddSmsParticipant_ThenList_ShowsChatUsersAndTheNumberWithItsProxy()
    {
        await using var lib = await StartAsync("general", "random");
        await lib.Provisioner.JoinRoomAsync("alice", "general", Ct);

        var added = await lib.Admin.AddSmsParticipantAsync("general", Phone, Proxy, Ct);
        var listed = await lib.Admin.ListParticipantsAsync("general", Ct).ToListAsync(Ct);

        added.Sid.Should().MatchRegex("^MB[0-9a-f]{32}$");
        added.Should().Be(new ChatRoomParticipant(added.Sid, null, Phone, Proxy));
        listed.Should().HaveCount(2);
        listed.Should().ContainSingle(p => p.Identity == "alice").Which.Should().Match<ChatRoomParticipant>(p => p.PhoneNumber == null && p.ProxyNumber == null);
        listed.Should().Contain(added);
        var stored = (await EmulatorRest.ParticipantsAsync(lib, "general")).Single(p => p.GetProperty("sid").GetString() == added.Sid);
        stored.GetProperty("identity").ValueKind.Should().Be(JsonValueKind.Null);
        stored.GetProperty("messaging_binding").GetProperty("address").GetString().Should().Be(Phone);
        stored.GetProperty("messaging_binding").GetProperty("proxy_address").GetString().Should().Be(Proxy);
        (await EmulatorRest.ParticipantsAsync(lib, "random")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("+12")]
    [InlineData("+123456789012345")]
    public async Task AddSmsParticipant_ShortestAndLongestE164_AreAccepted(string number)
    {
        await using var lib = await StartAsync("general");

        var added = await lib.Admin.AddSmsParticipantAsync("general", number, Proxy, Ct);

        added.PhoneNumber.Should().Be(number);
    }

    [Fact]
    public async Task AddSmsParticipant_SamePairTwice_ThrowsAlreadyExistsAndKeepsOne()
    {
        await using var lib = await StartAsync("general");
        await lib.Admin.AddSmsParticipantAsync("general", Phone, Proxy, Ct);

        var act = () => lib.Admin.AddSmsParticipantAsync("general", Phone, Proxy, Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.AlreadyExists);
        e.Status.Should().Be(409);
        e.TwilioCode.Should().Be(50416);
        e.Message.Should().Contain(Phone).And.Contain(Proxy).And.Contain("already a participant");
        (await EmulatorRest.ParticipantsAsync(lib, "general")).Should().ContainSingle();
    }

    [Fact]
    public async Task AddSmsParticipant_SamePairInAnotherRoom_ThrowsAlreadyExists()
    {
        await using var lib = await StartAsync("general", "random");
        await lib.Admin.AddSmsParticipantAsync("general", Phone, Proxy, Ct);

        var act = () => lib.Admin.AddSmsParticipantAsync("random", Phone, Proxy, Ct);
        var otherProxy = await lib.Admin.AddSmsParticipantAsync("random", Phone, "+15550000002", Ct);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.AlreadyExists);
        (await lib.Admin.ListParticipantsAsync("random", Ct).ToListAsync(Ct)).Should().Equal(otherProxy);
    }

    [Fact]
    public async Task AddSmsParticipant_MissingRoom_ThrowsNotFoundNamingTheRoom()
    {
        await using var lib = await StartAsync();

        var act = () => lib.Admin.AddSmsParticipantAsync("nowhere", Phone, Proxy, Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be("Chat room 'nowhere' not found.");
    }

    [Fact]
    public async Task RemoveSmsParticipant_Member_RemovesOnlyThatNumber()
    {
        await using var lib = await StartAsync("general");
        await lib.Provisioner.JoinRoomAsync("alice", "general", Ct);
        await lib.Admin.AddSmsParticipantAsync("general", Phone, Proxy, Ct);
        var other = await lib.Admin.AddSmsParticipantAsync("general", "+15551230002", Proxy, Ct);

        await lib.Admin.RemoveSmsParticipantAsync("general", Phone, Ct);

        var remaining = await EmulatorRest.ParticipantsAsync(lib, "general");
        remaining.Select(p => p.GetProperty("sid").GetString()).Should().HaveCount(2).And.Contain(other.Sid);
        remaining.Should().NotContain(p => p.GetProperty("messaging_binding").ValueKind == JsonValueKind.Object
            && p.GetProperty("messaging_binding").GetProperty("address").GetString() == Phone);
        (await EmulatorRest.IdentitiesAsync(lib, "general")).Should().Equal("alice");
    }

    [Fact]
    public async Task RemoveSmsParticipant_ThroughTwoProxies_RemovesBoth()
    {
        await using var lib = await StartAsync("general");
        await lib.Admin.AddSmsParticipantAsync("general", Phone, Proxy, Ct);
        await lib.Admin.AddSmsParticipantAsync("general", Phone, "+15550000002", Ct);

        await lib.Admin.RemoveSmsParticipantAsync("general", Phone, Ct);

        (await EmulatorRest.ParticipantsAsync(lib, "general")).Should().BeEmpty();
    }

    [Fact]
    public async Task RemoveSmsParticipant_NumberNotInRoom_ThrowsNotFoundNamingNumberAndRoom()
    {
        await using var lib = await StartAsync("general", "random");
        await lib.Admin.AddSmsParticipantAsync("random", Phone, Proxy, Ct);

        var act = () => lib.Admin.RemoveSmsParticipantAsync("general", Phone, Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be($"The phone number {Phone} is not a participant of chat room 'general'.");
        (await EmulatorRest.ParticipantsAsync(lib, "random")).Should().ContainSingle();
    }

    [Fact]
    public async Task RemoveSmsParticipant_MissingRoom_ThrowsNotFoundNamingTheRoom()
    {
        await using var lib = await StartAsync();

        var act = () => lib.Admin.RemoveSmsParticipantAsync("nowhere", Phone, Ct);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Message.Should().Be("Chat room 'nowhere' not found.");
    }

    [Fact]
    public async Task ListParticipants_MissingRoom_ThrowsNotFoundNamingTheRoom()
    {
        await using var lib = await StartAsync();

        var act = () => lib.Admin.ListParticipantsAsync("nowhere", Ct).ToListAsync(Ct).AsTask();

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be("Chat room 'nowhere' not found.");
    }

    [Fact]
    public async Task ListParticipants_EmptyRoom_IsEmpty()
    {
        await using var lib = await StartAsync("general");

        (await lib.Admin.ListParticipantsAsync("general", Ct).ToListAsync(Ct)).Should().BeEmpty();
    }
}
