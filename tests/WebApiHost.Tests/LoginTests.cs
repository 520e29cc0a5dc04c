using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace WebApiHost.Tests;

public sealed class LoginTests(UsernameOnlyHostFactory factory) : IClassFixture<UsernameOnlyHostFactory>
{
    private readonly HttpClient _client = factory.CreateRealClient();

    private static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Login_NewUser_ReturnsStarterRoomsAndTokenForIdentity()
    {
        var user = NewUser();

        var response = await NewSession().PostAsync("/login", new { username = user });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var rooms = body.GetProperty("chatrooms").EnumerateArray().Select(r => (Name: r[0].GetString(), Sid: r[1].GetString())).ToList();
        rooms.Select(r => r.Name).Should().Contain(["general", "random"]);
        rooms.Should().OnlyContain(r => r.Sid!.StartsWith("CH", StringComparison.Ordinal) && r.Sid.Length == 34);
        body.GetProperty("identity").GetString().Should().Be(user);
        body.GetProperty("backend").GetString().Should().Be("emulator");
        body.GetProperty("chatClientOptions").GetProperty("Twilsock").GetProperty("uri").GetString().Should().Be("/emulator/twilsock",
            "the client passes the emulator's twilsock address to Twilio's SDK, a path on the page's own origin");
        body.GetProperty("expiresAt").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(1), "tokens live 10 minutes by default");

        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(body.GetProperty("token").GetString());
        jwt.Header["cty"].Should().Be("twilio-fpa;v=1");
        var grants = JsonDocument.Parse(jwt.Payload["grants"].ToString()!).RootElement;
        grants.GetProperty("identity").GetString().Should().Be(user);
        grants.GetProperty("chat").GetProperty("service_sid").GetString().Should().StartWith("IS");
    }

    [Fact]
    public async Task Login_ReturningUser_GetsSameRooms()
    {
        var user = NewUser();
        var first = await LoginRoomsAsync(user);

        var second = await LoginRoomsAsync(user);

        first.Should().Contain(["general", "random"], "a returning user keeps the starter rooms");
        second.Should().Equal(first);
    }

    [Fact]
    public async Task Login_RoomCreatedLater_ReturningUserIsAddedToIt()
    {
        var user = NewUser();
        await LoginRoomsAsync(user);
        var room = "later-" + Guid.NewGuid().ToString("N")[..6];
        var admin = factory.Services.GetRequiredService<IChatRoomAdmin>();
        await admin.CreateRoomAsync(room, TestContext.Current.CancellationToken);

        var rooms = await LoginRoomsAsync(user);

        rooms.Should().Contain(room);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"username\": \"\"}")]
    [InlineData("{\"username\": \"   \"}")]
    [InlineData("{\"username\": null}")]
    public async Task Login_MissingOrEmptyUsername_Is401ProblemAsInTutorial(string json)
    {
        var response = await PostRawAsync(json);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Login_MalformedJson_Is400NamingTheBody()
    {
        var response = await PostRawAsync("{\"username\": ");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await ProblemAsync(response);
        problem.GetProperty("errors").TryGetProperty("body", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    public async Task Login_ControlCharacters_Is400NamingUsernameAndProvisionsNothing(string username)
    {
        var response = await NewSession().PostAsync("/login", new { username });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).GetProperty("errors").GetProperty("username")[0].GetString().Should().Contain("control characters");
        (await UserExistsAsync(username)).Should().BeFalse();
    }

    [Theory]
    [InlineData("+15551234567")]
    [InlineData("whatsapp:+15551234567")]
    [InlineData("system")]
    public async Task Login_ANameTwilioUsesAsAnAddressOrReserved_Is400NamingUsernameAndProvisionsNothing(string username)
    {
        var response = await NewSession().PostAsync("/login", new { username });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).GetProperty("errors").GetProperty("username")[0].GetString().Should().Contain("choose");
        (await UserExistsAsync(username)).Should().BeFalse();
    }

    [Fact]
    public async Task Login_OverlongUsername_Is400NamingUsernameAndProvisionsNothing()
    {
        var username = new string('a', 257);

        var response = await NewSession().PostAsync("/login", new { username });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).GetProperty("errors").GetProperty("username")[0].GetString().Should().Contain("256");
        (await UserExistsAsync(username)).Should().BeFalse();
    }

    [Fact]
    public async Task Token_InTheSession_ReturnsFreshTokenForSameIdentity()
    {
        var user = await SignedInUser.LogInAsync(factory, NewUser());

        var response = await user.Session.PostAsync("/token", json: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("identity").GetString().Should().Be(user.Identity);
        body.GetProperty("token").GetString().Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
    public async Task Token_WithoutSession_Is401WhateverTokenIsSent(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Health_OnEmulator_IsHealthy()
    {
        var response = await _client.GetAsync("/health", TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("status").GetString().Should().Be("healthy");
        body.GetProperty("backend").GetString().Should().Be("emulator");
    }

    private async Task<List<string>> LoginRoomsAsync(string user)
    {
        var response = await NewSession().PostAsync("/login", new { username = user });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return [.. body.GetProperty("chatrooms").EnumerateArray().Select(r => r[0].GetString()!)];
    }

    private Task<HttpResponseMessage> PostRawAsync(string json) => NewSession().PostAsync("/login", json);

    /// <summary>A new browser, as it were: its own cookies and antiforgery token.</summary>
    private HostSession NewSession() => new(factory);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>Asks the emulator itself, over its REST API, whether the Conversations user exists.</summary>
    private async Task<bool> UserExistsAsync(string identity)
    {
        var credentials = factory.EmulatorCredentials;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/emulator/v1/Users/" + Uri.EscapeDataString(identity));
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
        var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
