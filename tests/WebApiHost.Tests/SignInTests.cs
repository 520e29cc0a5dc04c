using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>Accounts through the real host on a real port: sessions, antiforgery, lockout, sign-out, whose token is renewed.</summary>
public sealed class SignInTests(ChatHostFactory factory) : IClassFixture<ChatHostFactory>
{
    private const string Password = "Corr3ct-horse!";

    private static string NewName(string prefix = "acct") => SignedInUser.NewName(prefix);

    [Fact]
    public async Task CreateAccount_ThenLogin_AnswersTheTutorialShapeForTheOwnIdentity()
    {
        var name = NewName();
        using var browser = new HostSession(factory);

        await browser.CreateAccountAsync(name, Password);
        var response = await browser.PostAsync("/login", json: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("identity").GetString().Should().Be(name);
        body.GetProperty("chatrooms").EnumerateArray().Select(r => r[0].GetString()).Should().Contain(["general", "random"]);
        body.GetProperty("token").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task CreateAccount_SessionCookie_IsHttpOnlyAndSameSiteStrict()
    {
        using var browser = new HostSession(factory);
        await browser.RefreshAntiforgeryAsync();

        var response = await browser.PostAsync("/account", new { username = NewName(), password = Password });

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chat.session=", StringComparison.Ordinal));
        cookie.Should().Contain("httponly").And.Contain("samesite=strict").And.NotContain("secure", "the test host is plain HTTP");
    }

    [Theory]
    [InlineData("Aa1!aa", "Passwords must be at least 8 characters.")]
    [InlineData("P@ssw0rd", "common passwords")]
    [InlineData("Password1!", "common passwords")]
    [InlineData("qwertyuiop", "common passwords")]
    public async Task CreateAccount_ShortOrCommonPassword_Is400NamingTheRuleUnderPassword(string password, string says)
    {
        var name = NewName();
        using var browser = new HostSession(factory);

        var response = await browser.PostAsync("/account", new { username = name, password });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var messages = (await SignedInUser.ProblemAsync(response)).GetProperty("errors").GetProperty("password").EnumerateArray().Select(m => m.GetString());
        messages.Should().ContainSingle().Which.Should().Contain(says);
        (await new HostSession(factory).SignInAsync(name, password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no account was made");
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("längere sätze ohne ziffern")]
    [InlineData("Ordinary lowercase words")]
    public async Task CreateAccount_APassphraseWithoutDigitsOrCapitals_IsAccepted(string password)
    {
        using var browser = new HostSession(factory);

        await browser.CreateAccountAsync(NewName(), password);
    }

    [Theory]
    [InlineData("tab\there", "control characters")]
    [InlineData("   ", "empty")]
    [InlineData("+15551234567", "phone number")]
    [InlineData("+1-555-123-4567", "phone number")]
    [InlineData("whatsapp:+15551234567", "whatsapp:")]
    [InlineData("Messenger:1234567890", "messenger:")]
    [InlineData("system", "reserved")]
    [InlineData("SYSTEM", "reserved")]
    public async Task CreateAccount_InvalidUsername_Is400NamingUsername(string username, string says)
    {
        using var browser = new HostSession(factory);

        var response = await browser.PostAsync("/account", new { username, password = Password });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").GetProperty("username")[0].GetString().Should().Contain(says);
    }

    [Fact]
    public async Task CreateAccount_TakenUsername_Is400NamingUsername()
    {
        var name = NewName();
        await CreateElsewhereAsync(name);

        using var second = new HostSession(factory);
        var response = await second.PostAsync("/account", new { username = name, password = "An0ther-pass!" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(response)).GetProperty("errors").GetProperty("username")[0].GetString().Should().Contain("taken");
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_GetTheSameAnswer()
    {
        var name = NewName();
        await CreateElsewhereAsync(name);

        using var browser = new HostSession(factory);
        var wrongPassword = await browser.SignInAsync(name, "Wr0ng-password!");
        var unknownUser = await browser.SignInAsync(NewName("nobody"), "Wr0ng-password!");

        wrongPassword.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unknownUser.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var a = await SignedInUser.ProblemAsync(wrongPassword);
        var b = await SignedInUser.ProblemAsync(unknownUser);
        a.GetProperty("title").GetString().Should().Be("Wrong username or password").And.Be(b.GetProperty("title").GetString());
        a.GetProperty("detail").GetString().Should().Be(b.GetProperty("detail").GetString());
        browser.SessionCookie.Should().BeNull();
    }

    [Fact]
    public async Task Login_RightPassword_SignsIn()
    {
        var name = NewName();
        await CreateElsewhereAsync(name);

        using var browser = new HostSession(factory);
        var response = await browser.SignInAsync(name, Password);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("identity").GetString().Should().Be(name);
        (await browser.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_WithoutSession_Is401_AndLoginWithoutCredentialsIs401()
    {
        using var browser = new HostSession(factory);

        (await browser.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await browser.PostAsync("/login", json: null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await browser.PostAsync("/login", new { username = NewName() })).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "a username alone signs nobody in unless the username-only mode is on");
    }

    [Fact]
    public async Task StateChangingCall_WithoutAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        var name = NewName();
        using var browser = new HostSession(factory);

        var create = await browser.PostAsync("/account", JsonSerializer.Serialize(new { username = name, password = Password }), antiforgery: false);

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignedInUser.ProblemAsync(create)).GetProperty("title").GetString().Should().Contain("antiforgery");
        (await new HostSession(factory).SignInAsync(name, Password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no account was made");

        await browser.CreateAccountAsync(name, Password);
        var leave = await browser.PostAsync("/rooms/leave", "{\"room\": \"random\"}", antiforgery: false);
        var logout = await browser.PostAsync("/logout", json: null, antiforgery: false);

        leave.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        logout.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await browser.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.OK, "the refused sign-out changed nothing");
    }

    [Fact]
    public async Task StateChangingCall_WithAnotherSessionsAntiforgeryToken_IsRefused()
    {
        using var alice = new HostSession(factory);
        using var mallory = new HostSession(factory);
        await alice.CreateAccountAsync(NewName("alice"), Password);
        await mallory.RefreshAntiforgeryAsync();
        var malloryToken = (await mallory.Client.GetFromJsonAsync<JsonElement>("/antiforgery", Ct)).GetProperty("token").GetString();
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/logout");
        forged.Headers.Add("X-XSRF-TOKEN", malloryToken);

        var response = await alice.SendAsync(forged, antiforgery: false);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Login_AfterTheConfiguredFailures_IsLockedOutEvenWithTheRightPassword()
    {
        await using var host = new ChatHostFactory
        {
            Settings = new Dictionary<string, string> { ["Identity:Lockout:MaxFailedAccessAttempts"] = "3" },
        };
        var name = NewName();
        using var browser = new HostSession(host);
        await browser.CreateAccountAsync(name, Password);
        await browser.PostAsync("/logout", json: null);
        await browser.RefreshAntiforgeryAsync();

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add((await browser.SignInAsync(name, "Wr0ng-password!")).StatusCode);
        }

        var right = await browser.SignInAsync(name, Password);

        failures.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
        right.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await SignedInUser.ProblemAsync(right)).GetProperty("title").GetString().Should().Be("Too many failed sign-ins");
        browser.SessionCookie.Should().BeNull();
    }

    [Fact]
    public async Task SignOut_TheSessionCookieNoLongerWorks_EvenReplayed()
    {
        using var browser = new HostSession(factory);
        await browser.CreateAccountAsync(NewName(), Password);
        var copied = browser.SessionCookie!.Value;

        var signOut = await browser.PostAsync("/logout", json: null);

        signOut.StatusCode.Should().Be(HttpStatusCode.NoContent);
        browser.SessionCookie.Should().BeNull("the browser's cookie is deleted");
        using var replay = new HttpRequestMessage(HttpMethod.Post, "/token");
        replay.Headers.Add("Cookie", "chat.session=" + copied);
        using var other = new HttpClient { BaseAddress = factory.BaseAddress };
        (await other.SendAsync(replay, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the session is gone on the server");
    }

    [Fact]
    public async Task Token_SecondUsersSession_CannotRenewTheFirstUsersToken()
    {
        var aliceName = NewName("alice");
        using var alice = new HostSession(factory);
        using var bob = new HostSession(factory);
        await alice.CreateAccountAsync(aliceName, Password);
        await bob.CreateAccountAsync(NewName("bob"), Password);
        var aliceToken = (await (await alice.PostAsync("/token", json: null)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/token");
        request.Headers.Authorization = new("Bearer", aliceToken);
        var renewed = await bob.SendAsync(request);
        using var withoutSession = new HttpRequestMessage(HttpMethod.Post, "/token");
        withoutSession.Headers.Authorization = new("Bearer", aliceToken);
        using var stranger = new HttpClient { BaseAddress = factory.BaseAddress };
        var alone = await stranger.SendAsync(withoutSession, Ct);

        renewed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await renewed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("identity").GetString().Should().NotBe(aliceName, "bob's session gets bob's token");
        alone.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "alice's token without her session renews nothing");
    }

    [Fact]
    public async Task Host_InUsernameOnlyMode_WarnsAtStart_AndWithAccountsDoesNot()
    {
        await using var demo = new ChatHostFactory { UsernameOnly = true };
        demo.CreateRealClient().Dispose();
        factory.CreateRealClient().Dispose();

        demo.Logs.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains("UsernameOnly", StringComparison.Ordinal) && e.Message.Contains("never in production", StringComparison.Ordinal));
        factory.Logs.Entries.Should().NotContain(e => e.Message.Contains("UsernameOnly", StringComparison.Ordinal));
    }

    /// <summary>The account exists, made in another browser than the test's.</summary>
    private async Task CreateElsewhereAsync(string name)
    {
        using var owner = new HostSession(factory);
        await owner.CreateAccountAsync(name, Password);
    }
}
