using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>
/// The passkey endpoints' refusals through the real host (a whole ceremony needs an authenticator: the browser test
/// <c>SignInInBrowserTests</c> does that with Chromium's virtual one).
/// </summary>
public sealed class PasskeyEndpointsTests(ChatHostFactory factory) : IClassFixture<ChatHostFactory>
{
    private async Task<HostSession> SignedInAsync()
    {
        var browser = new HostSession(factory);
        await browser.CreateAccountAsync(SignedInUser.NewName("pk"), "Passk3y-tests!");
        return browser;
    }

    [Fact]
    public async Task CreationOptions_ForTheSignedInUser_NameTheAccountAndTheSite()
    {
        using var browser = await SignedInAsync();

        var response = await browser.PostAsync("/account/passkeys/options", json: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var options = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        options.GetProperty("rp").GetProperty("id").GetString().Should().Be("127.0.0.1");
        options.GetProperty("challenge").GetString().Should().NotBeNullOrEmpty();
        options.GetProperty("user").GetProperty("name").GetString().Should().StartWith("pk-");
    }

    [Fact]
    public async Task Passkeys_WithoutSession_Are401()
    {
        using var browser = new HostSession(factory);

        (await browser.Client.GetAsync("/account/passkeys", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await browser.PostAsync("/account/passkeys/options", json: null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Add_ACredentialNoCeremonyAskedFor_Is400NamingCredential_AndAddsNothing()
    {
        using var browser = await SignedInAsync();

        var response = await browser.PostAsync("/account/passkeys", new { credential = new { id = "made-up", type = "public-key" } });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").TryGetProperty("credential", out _).Should().BeTrue();
        var list = await browser.Client.GetFromJsonAsync<JsonElement>("/account/passkeys", Ct);
        list.GetProperty("passkeys").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(10_000_000)]
    public async Task Add_ANameOverAHundredCharacters_Is400NamingName_AndAddsNothing(int length)
    {
        using var browser = await SignedInAsync();
        (await browser.PostAsync("/account/passkeys/options", json: null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await browser.PostAsync("/account/passkeys",
            new { credential = new { id = "made-up", type = "public-key" }, name = new string('n', length) });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").GetProperty("name")[0].GetString().Should().Contain("100");
        var list = await browser.Client.GetFromJsonAsync<JsonElement>("/account/passkeys", Ct);
        list.GetProperty("passkeys").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Remove_APasskeyTheAccountDoesNotHave_Is404NamingId()
    {
        using var browser = await SignedInAsync();

        var response = await browser.DeleteAsync("/account/passkeys/AQIDBA");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").TryGetProperty("id", out _).Should().BeTrue();
    }

    [Fact]
    public async Task SignIn_WithAMadeUpCredential_Is401AndSignsNobodyIn()
    {
        using var browser = new HostSession(factory);
        (await browser.PostAsync("/login/passkey/options", json: null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await browser.PostAsync("/login/passkey", new { credential = new { id = "made-up", type = "public-key", response = new { } } });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        browser.SessionCookie.Should().BeNull();
        (await browser.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
