using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

public sealed class PrivateConversationTests(UsernameOnlyHostFactory factory) : IClassFixture<UsernameOnlyHostFactory>
{
    private readonly HttpClient _client = factory.CreateRealClient();

    [Fact]
    public async Task Start_FromEitherSide_IsOneConversationOfExactlyTheTwo()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));

        var fromAlice = await StartAsync(alice, bob.Identity);
        var fromBob = await StartAsync(bob, alice.Identity);

        fromBob.GetProperty("sid").GetString().Should().Be(fromAlice.GetProperty("sid").GetString());
        fromAlice.GetProperty("members").EnumerateArray().Select(m => m.GetString())
            .Should().BeEquivalentTo([alice.Identity, bob.Identity]);
        // Asked of the emulator's REST API itself, as Twilio would be asked.
        using var emulator = new HttpClient { BaseAddress = factory.BaseAddress };
        var credentials = factory.EmulatorCredentials;
        emulator.DefaultRequestHeaders.Authorization = new("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
        var participants = await emulator.GetFromJsonAsync<JsonElement>(
            $"/emulator/v1/Conversations/{fromAlice.GetProperty("sid").GetString()}/Participants", Ct);
        participants.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("identity").GetString())
            .Should().BeEquivalentTo([alice.Identity, bob.Identity]);
    }

    [Fact]
    public async Task Start_ThirdUser_CannotReadItThroughTheEmulator()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
        var carol = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("carol"));
        var sid = (await StartAsync(alice, bob.Identity)).GetProperty("sid").GetString()!;
        await using var bobs = await HostTwilsock.ConnectAsync(factory, bob, Ct);
        await using var carols = await HostTwilsock.ConnectAsync(factory, carol, Ct);

        (await bobs.SendAsync(sid, "just between us", Ct)).HttpStatus.Should().Be(200);
        var asCarol = await carols.MessagesAsync(sid, Ct);
        var asBob = await bobs.MessagesAsync(sid, Ct);

        asCarol.Status.Should().Be(404, "to a non-participant the conversation does not exist");
        asBob.Bodies.Should().Equal("just between us");
    }

    [Fact]
    public async Task Rooms_DoNotListPrivateConversations()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
        var sid = (await StartAsync(alice, bob.Identity)).GetProperty("sid").GetString();

        var rooms = await _client.GetFromJsonAsync<JsonElement>("/rooms", Ct);
        var carol = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("carol"));

        rooms.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("sid").GetString()).Should().NotContain(sid);
        carol.Rooms.Should().Contain("general").And.OnlyContain(r => !r.StartsWith("private:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_UnknownUser_Is404NamingWith()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));

        var response = await alice.PostAsync("/private-conversations", new { with = "nobody-" + Guid.NewGuid().ToString("N")[..6] });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").GetProperty("with")[0].GetString().Should().Contain("nobody-");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"with\": \"\"}")]
    [InlineData("{\"with\": \"SELF\"}")]
    public async Task Start_MissingOrSelf_Is400NamingWith(string json)
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));

        var response = await alice.PostAsync("/private-conversations", json.Replace("SELF", alice.Identity, StringComparison.Ordinal));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").TryGetProperty("with", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Start_WithoutToken_Is401()
    {
        var response = await _client.PostAsJsonAsync("/private-conversations", new { with = "bob" }, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonElement> StartAsync(SignedInUser user, string other)
    {
        var response = await user.PostAsync("/private-conversations", new { with = other });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
