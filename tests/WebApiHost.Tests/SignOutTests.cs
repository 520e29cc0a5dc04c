using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Twilio.ChatRooms.TestSupport;

namespace WebApiHost.Tests;

/// <summary>
/// Signing out ends the chat too, through the real host on a real port: on its emulator the user's open twilsock
/// connections close as expired and the token they held is refused from then on (SECURITY.md, "Signing out"); the
/// tokens the host issues live <c>Twilio:TokenLifetime</c>, 10 minutes unless set, on Twilio and on the emulator.
/// </summary>
public sealed class SignOutTests(ChatHostFactory factory) : IClassFixture<ChatHostFactory>
{
    private const string Password = "Corr3ct-horse!";

    [Fact]
    public async Task SignOut_ClosesTheUsersChatConnections_AndRefusesTheirOldToken_AsExpired_LeavingOthersAndTheNextSignIn()
    {
        var name = SignedInUser.NewName("leaver");
        using var browser = new HostSession(factory);
        await browser.CreateAccountAsync(name, Password);
        var oldToken = await TokenAsync(await browser.PostAsync("/login", json: null));
        await using var chat = await TwilsockTestClient.ConnectAsync(HostTwilsock.Uri(factory), oldToken, Ct);
        chat.InitReply.StatusCode.Should().Be(200);
        using var other = new HostSession(factory);
        await other.CreateAccountAsync(SignedInUser.NewName("stayer"), Password);
        await using var bobsChat = await TwilsockTestClient.ConnectAsync(HostTwilsock.Uri(factory), await TokenAsync(await other.PostAsync("/login", json: null)), Ct);

        (await browser.PostAsync("/logout", json: null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var closed = await chat.Closed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        closed.Should().NotBeNull("the server sent twilsock's close frame");
        closed!.StatusCode.Should().Be(410, "closed as a connection whose token expired: the SDK raises tokenExpired");
        await using var again = await TwilsockTestClient.ConnectAsync(HostTwilsock.Uri(factory), oldToken, Ct);
        again.InitReply.StatusCode.Should().Be(401);
        again.InitReply.ErrorCode.Should().Be(20104, "Twilio's code for a token that no longer works, the SDK's tokenExpired");
        (await bobsChat.RequestAsync("GET", "/Client/v2/Configuration", null, Ct)).HttpStatus.Should().Be(200, "another user's chat goes on");

        await browser.RefreshAntiforgeryAsync();
        (await browser.SignInAsync(name, Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        var newToken = await TokenAsync(await browser.PostAsync("/token", json: null));
        await using var back = await TwilsockTestClient.ConnectAsync(HostTwilsock.Uri(factory), newToken, Ct);
        back.InitReply.StatusCode.Should().Be(200, "a token issued after the sign-out is accepted");
    }

    [Fact]
    public async Task Tokens_LiveTenMinutesByDefault()
    {
        using var browser = new HostSession(factory);
        await browser.CreateAccountAsync(SignedInUser.NewName("short"), Password);

        Lifetime(await TokenAsync(await browser.PostAsync("/login", json: null))).Should().Be(TimeSpan.FromMinutes(10));
        Lifetime(await TokenAsync(await browser.PostAsync("/token", json: null))).Should().Be(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Tokens_LiveAsLongAsTheSettingSays()
    {
        await using var host = new ChatHostFactory { Settings = new Dictionary<string, string> { ["Twilio:TokenLifetime"] = "00:02:30" } };

        using var browser = new HostSession(host);
        await browser.CreateAccountAsync(SignedInUser.NewName("set"), Password);

        Lifetime(await TokenAsync(await browser.PostAsync("/login", json: null))).Should().Be(TimeSpan.FromSeconds(150));
    }

    private static async Task<string> TokenAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
    }

    /// <summary>From issue to expiry: Twilio's tokens carry no iat; their jti ends in the Unix time they were issued.</summary>
    private static TimeSpan Lifetime(string token)
    {
        var jwt = new JsonWebToken(token);
        var issued = long.Parse(jwt.Id[(jwt.Id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(jwt.GetPayloadValue<long>("exp") - issued);
    }
}
