using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Tests.Integration;

public sealed class PrivateConversationTests
{
    /// <summary>An emulator with the participant role, the room "general" and the users <paramref name="users"/>.</summary>
    private static async Task<EmulatedLibrary> StartAsync(params string[] users)
    {
        var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await lib.Admin.CreateRoomAsync("general", Ct);
        foreach (var user in users)
        {
            await lib.Provisioner.EnsureUserAsync(user, Ct);
        }

        return lib;
    }

    /// <summary>The documented name: HMAC-SHA256 under the key HKDF-SHA256 derives from the secret, with the fixed label.</summary>
    private static string ExpectedName(string secret, string text, bool derive = true)
    {
        var key = derive
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, [],
                Encoding.UTF8.GetBytes("Twilio.ChatRooms private conversation unique names v1"))
            : Encoding.UTF8.GetBytes(secret);
        return "private:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }

    private static byte[] NameKey(EmulatedLibrary lib)
        => PrivateConversations.NameKey(lib.Provider.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value);

    private static async Task<List<JsonElement>> PrivateConversationsAsync(EmulatedLibrary lib)
        => [.. (await EmulatorRest.ReadAllAsync(lib, "/Conversations", "conversations"))
            .Where(c => c.GetProperty("unique_name").GetString()?.StartsWith("private:", StringComparison.Ordinal) == true)];

    [Fact]
    public async Task Start_TwoUsers_CreatesOneConversationWithExactlyTheTwoAndThePrivateAttributes()
    {
        await using var lib = await StartAsync("alice", "bob", "carol");

        var started = await lib.Private.StartAsync("bob", "alice", Ct);

        var expectedName = ExpectedName(lib.Server.Credentials.ApiKeySecret, "5:alice3:bob");
        var derivable = "private:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("5:alice3:bob")));
        started.Sid.Should().MatchRegex("^CH[0-9a-f]{32}$");
        started.UniqueName.Should().Be(expectedName).And.NotBe(derivable, "a name anyone can compute from the pair would let a third user find it");
        started.FriendlyName.Should().Be("alice, bob");
        started.Members.Should().Equal("alice", "bob");
        var conversation = (await EmulatorRest.FetchAsync(lib, $"/Conversations/{started.Sid}"))!.Value;
        conversation.GetProperty("unique_name").GetString().Should().Be(expectedName);
        conversation.GetProperty("friendly_name").GetString().Should().Be("alice, bob");
        JsonNode.DeepEquals(
            JsonNode.Parse(conversation.GetProperty("attributes").GetString()!),
            JsonNode.Parse("""{"chatrooms":{"kind":"private","members":["alice","bob"]}}""")).Should().BeTrue();
        (await EmulatorRest.IdentitiesAsync(lib, started.Sid)).Should().BeEquivalentTo("alice", "bob");
        (await EmulatorRest.ParticipantsAsync(lib, started.Sid)).Should().HaveCount(2);
        (await EmulatorRest.MembershipsAsync(lib, "carol")).Should().NotContain(started.Sid);
    }

    [Fact]
    public async Task Start_AgainInEitherOrder_ReturnsTheSameConversation()
    {
        await using var lib = await StartAsync("alice", "bob");

        var first = await lib.Private.StartAsync("alice", "bob", Ct);
        var reversed = await lib.Private.StartAsync("bob", "alice", Ct);
        var again = await lib.Private.StartAsync("alice", "bob", Ct);

        reversed.Should().BeEquivalentTo(first);
        again.Should().BeEquivalentTo(first);
        (await PrivateConversationsAsync(lib)).Should().ContainSingle();
        (await EmulatorRest.ParticipantsAsync(lib, first.Sid)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Start_ConcurrentlyFromBothSides_GivesOneConversationWithTwoParticipants()
    {
        await using var lib = await StartAsync("alice", "bob");

        var started = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? lib.Private.StartAsync("alice", "bob", Ct)
            : lib.Private.StartAsync("bob", "alice", Ct)));

        started.Select(s => s.Sid).Distinct().Should().ContainSingle();
        var conversations = await PrivateConversationsAsync(lib);
        conversations.Should().ContainSingle().Which.GetProperty("sid").GetString().Should().Be(started[0].Sid);
        (await EmulatorRest.IdentitiesAsync(lib, started[0].Sid)).Should().BeEquivalentTo("alice", "bob");
    }

    [Fact]
    public async Task Start_DifferentPairs_GetDifferentConversations()
    {
        await using var lib = await StartAsync("alice", "bob", "carol");

        var aliceBob = await lib.Private.StartAsync("alice", "bob", Ct);
        var aliceCarol = await lib.Private.StartAsync("carol", "alice", Ct);

        aliceCarol.Sid.Should().NotBe(aliceBob.Sid);
        aliceCarol.Members.Should().Equal("alice", "carol");
        (await EmulatorRest.IdentitiesAsync(lib, aliceBob.Sid)).Should().BeEquivalentTo("alice", "bob");
        (await EmulatorRest.IdentitiesAsync(lib, aliceCarol.Sid)).Should().BeEquivalentTo("alice", "carol");
    }

    [Fact]
    public async Task Start_OtherUserMissing_ThrowsNotFoundAndCreatesNothing()
    {
        await using var lib = await StartAsync("alice");

        var act = () => lib.Private.StartAsync("alice", "bob", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be("User 'bob' not found.");
        (await PrivateConversationsAsync(lib)).Should().BeEmpty();
        (await EmulatorRest.FetchAsync(lib, "/Users/bob")).Should().BeNull();
    }

    [Fact]
    public async Task Start_StarterNotYetAUser_CreatesItWithTheParticipantRole()
    {
        await using var lib = await StartAsync("bob");
        var role = await lib.Provisioner.EnsureParticipantRoleAsync(Ct);

        var started = await lib.Private.StartAsync("alice", "bob", Ct);

        (await EmulatorRest.FetchAsync(lib, "/Users/alice"))!.Value.GetProperty("role_sid").GetString().Should().Be(role.RoleSid);
        (await EmulatorRest.IdentitiesAsync(lib, started.Sid)).Should().BeEquivalentTo("alice", "bob");
    }

    [Fact]
    public async Task Start_UniqueNameTakenByAnotherConversation_ThrowsAlreadyExistsAndAddsNobody()
    {
        await using var lib = await StartAsync("alice", "bob");
        var squatted = await EmulatorRest.PostAsync(lib, "/Conversations",
            new("UniqueName", PrivateConversations.UniqueName(NameKey(lib), "alice", "bob")), new("FriendlyName", "not private"));

        var act = () => lib.Private.StartAsync("alice", "bob", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.AlreadyExists);
        e.Message.Should().Contain("not the private conversation of 'alice' and 'bob'");
        (await EmulatorRest.ParticipantsAsync(lib, squatted.GetProperty("sid").GetString()!)).Should().BeEmpty();
    }

    [Fact]
    public async Task Rooms_ExcludePrivateConversations()
    {
        await using var lib = await StartAsync("alice", "bob", "carol");
        var general = await lib.Admin.GetRoomAsync("general", Ct);
        await lib.Provisioner.JoinRoomAsync("alice", "general", Ct);
        var started = await lib.Private.StartAsync("alice", "bob", Ct);

        var listed = await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        var aliceRooms = await lib.Provisioner.EnsureUserAsync("alice", Ct);
        var carolRooms = await lib.Provisioner.ProvisionAsync("carol", Ct);

        listed.Should().Equal(general);
        aliceRooms.Should().Equal(general);
        carolRooms.Should().Equal(general);
        (await EmulatorRest.MembershipsAsync(lib, "alice")).Should().Contain(started.Sid, "alice is in it, it is just not a room");
        (await EmulatorRest.MembershipsAsync(lib, "carol")).Should().Equal(general.Sid);
        (await EmulatorRest.IdentitiesAsync(lib, started.Sid)).Should().BeEquivalentTo("alice", "bob");
    }

    [Fact]
    public async Task RoomMethods_PrivateConversationNameOrSid_ThrowNotFoundAndChangeNothing()
    {
        await using var lib = await StartAsync("alice", "bob", "carol");
        var started = await lib.Private.StartAsync("alice", "bob", Ct);

        foreach (var key in new[] { started.UniqueName, started.Sid })
        {
            foreach (var act in new Func<Task>[]
            {
                () => lib.Admin.GetRoomAsync(key, Ct),
                () => lib.Admin.DeleteRoomAsync(key, Ct),
                () => lib.Provisioner.JoinRoomAsync("carol", key, Ct),
                () => lib.Provisioner.LeaveRoomAsync("alice", key, Ct),
                () => lib.Admin.ListParticipantsAsync(key, Ct).ToListAsync(Ct).AsTask(),
                () => lib.Admin.AddSmsParticipantAsync(key, "+15551230001", "+15550000001", Ct),
                () => lib.Admin.RemoveSmsParticipantAsync(key, "+15551230001", Ct),
            })
            {
                var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
                e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
                e.Message.Should().Be($"Chat room '{key}' not found.");
            }
        }

        (await EmulatorRest.FetchAsync(lib, $"/Conversations/{started.Sid}")).Should().NotBeNull();
        (await EmulatorRest.ParticipantsAsync(lib, started.Sid)).Should().HaveCount(2);
        (await EmulatorRest.IdentitiesAsync(lib, started.Sid)).Should().BeEquivalentTo("alice", "bob");
    }

    [Theory]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("a:b", "c", "a", "b:c")]
    [InlineData("1:a", "b", "1", "a1:b")]
    public void UniqueName_DifferentPairsWithTheSameConcatenation_Differ(string a, string b, string c, string d)
    {
        byte[] key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        PrivateConversations.UniqueName(key, a, b).Should().NotBe(PrivateConversations.UniqueName(key, c, d));
    }

    [Fact]
    public async Task Start_WithPrivateConversationKey_NameIsKeyedByItNotByTheApiKeySecret()
    {
        const string Key = "a-dedicated-private-conversation-key-0123456789";
        await using var lib = await EmulatedLibrary.StartAsync(o => o.PrivateConversationKey = Key);
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        await lib.Provisioner.EnsureUserAsync("bob", Ct);

        var started = await lib.Private.StartAsync("alice", "bob", Ct);

        started.UniqueName.Should().Be(ExpectedName(Key, "5:alice3:bob", derive: false));
        started.UniqueName.Should().NotBe(ExpectedName(lib.Server.Credentials.ApiKeySecret, "5:alice3:bob"));
        (await EmulatorRest.FetchAsync(lib, $"/Conversations/{Uri.EscapeDataString(started.UniqueName)}"))!.Value
            .GetProperty("sid").GetString().Should().Be(started.Sid);
    }

    [Fact]
    public void UniqueName_AnotherSecret_GivesAnotherNameForThePair()
    {
        var ours = PrivateConversations.NameKey(new TwilioChatRoomsOptions { ApiKeySecret = "the-servers-own-api-key-secret-0123456789" });
        var guessed = PrivateConversations.NameKey(new TwilioChatRoomsOptions { ApiKeySecret = "an-attackers-guess-at-the-secret-0123456789" });

        PrivateConversations.UniqueName(ours, "alice", "bob").Should().NotBe(PrivateConversations.UniqueName(guessed, "alice", "bob"));
        PrivateConversations.UniqueName(ours, "alice", "bob").Should().MatchRegex("^private:[0-9a-f]{64}$");
    }
}
