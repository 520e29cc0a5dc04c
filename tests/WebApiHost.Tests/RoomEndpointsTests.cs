using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace WebApiHost.Tests;

public sealed class RoomEndpointsTests(UsernameOnlyHostFactory factory) : IClassFixture<UsernameOnlyHostFactory>
{
    private readonly HttpClient _client = factory.CreateRealClient();

    /// <summary>The rooms the user is a participant of, read back from the back end by the library.</summary>
    private Task<IReadOnlyList<ChatRoom>> MembershipsAsync(string identity)
        => factory.Services.GetRequiredService<IParticipantProvisioner>().EnsureUserAsync(identity, Ct);

    [Fact]
    public async Task Rooms_Get_ListsEveryRoom()
    {
        var response = await _client.GetAsync("/rooms", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var rooms = body.GetProperty("rooms").EnumerateArray().ToList();
        rooms.Select(r => r.GetProperty("name").GetString()).Should().Contain(["general", "random"]);
        rooms.Should().OnlyContain(r => r.GetProperty("sid").GetString()!.StartsWith("CH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leave_ThenJoin_MembershipFollowsInTheBackEnd()
    {
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName());
        user.Rooms.Should().Contain("random");

        var left = await user.PostAsync("/rooms/leave", new { room = "random" });

        left.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await MembershipsAsync(user.Identity)).Select(r => r.Name).Should().NotContain("random").And.Contain("general");

        var joined = await user.PostAsync("/rooms/join", new { room = "random" });

        joined.StatusCode.Should().Be(HttpStatusCode.OK);
        var room = await joined.Content.ReadFromJsonAsync<JsonElement>(Ct);
        room.GetProperty("name").GetString().Should().Be("random");
        room.GetProperty("sid").GetString().Should().StartWith("CH");
        (await MembershipsAsync(user.Identity)).Select(r => r.Name).Should().Contain("random");
    }

    [Fact]
    public async Task Join_Twice_IsStillOneMembership()
    {
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName());

        (await user.PostAsync("/rooms/join", new { room = "general" })).StatusCode.Should().Be(HttpStatusCode.OK);

        (await MembershipsAsync(user.Identity)).Count(r => r.Name == "general").Should().Be(1);
    }

    [Theory]
    [InlineData("/rooms/join")]
    [InlineData("/rooms/leave")]
    public async Task Membership_UnknownRoom_Is404NamingRoom(string path)
    {
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName());

        var response = await user.PostAsync(path, new { room = "no-such-room-" + Guid.NewGuid().ToString("N")[..6] });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").GetProperty("room")[0].GetString().Should().Contain("no-such-room");
    }

    [Theory]
    [InlineData("{}", "room")]
    [InlineData("{\"room\": \"  \"}", "room")]
    [InlineData("{\"room\": \"bell\\u0007\"}", "room")]
    [InlineData("{\"room\": ", "body")]
    [InlineData("[]", "body")]
    [InlineData("null", "body")]
    [InlineData("{\"room\": 7}", "body")]
    public async Task Join_BadBody_Is400NamingTheFieldAndChangesNothing(string json, string field)
    {
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName());
        var before = await MembershipsAsync(user.Identity);

        var response = await user.PostAsync("/rooms/join", json);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
        (await MembershipsAsync(user.Identity)).Should().Equal(before);
    }

    [Fact]
    public async Task Join_NotJson_Is415Problem()
    {
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rooms/join") { Content = new StringContent("room=general") };

        var response = await user.Session.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
    public async Task Join_WithoutSession_Is401ProblemEvenWithAnAccessToken(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rooms/join") { Content = JsonContent.Create(new { room = "general" }) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        var response = await _client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SignedInUser.ProblemAsync(response)).GetProperty("title").GetString().Should().Be("Sign in first");
    }
}

/// <summary>A host started with <c>Chat:JoinAllRoomsAtLogin=false</c>: users join the rooms they want.</summary>
public sealed class OptInRoomsTests
{
    [Fact]
    public async Task Login_WithJoinAllRoomsOff_GivesOnlyTheRoomsTheUserJoined()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true, Settings = new Dictionary<string, string> { ["Chat:JoinAllRoomsAtLogin"] = "false" } };
        using var client = host.CreateRealClient();
        var name = SignedInUser.NewName();

        var first = await SignedInUser.LogInAsync(host, name);
        (await first.PostAsync("/rooms/join", new { room = "random" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var second = await SignedInUser.LogInAsync(host, name);

        first.Rooms.Should().BeEmpty();
        second.Rooms.Should().Equal("random");
    }

    [Fact]
    public async Task Host_WithInvalidRefreshInterval_RefusesToStart()
    {
        await using var host = new ChatHostFactory { Settings = new Dictionary<string, string> { ["Chat:RoomDirectoryRefreshInterval"] = "00:00:00" } };

        var start = () => host.CreateRealClient();

        // The host checks its settings before it starts, says why in one line and stops (as a process: exit 1).
        start.Should().Throw<Exception>();
        host.Logs.Entries.Should().ContainSingle(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical)
            .Which.Message.Should().Match("Not started: *RoomDirectoryRefreshInterval*");
    }
}
