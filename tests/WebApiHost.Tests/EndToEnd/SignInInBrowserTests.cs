using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static WebApiHost.Tests.EndToEnd.ChatPage;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>Accounts as a person uses them, in Debian's chromium: create, sign out, a wrong password, sign in, passkeys.</summary>
public sealed class SignInInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Account_CreatedSignedOutRefusedAWrongPasswordSignedIn_ChatsWithASecondUser()
    {
        var alice = "alice-" + Suffix();
        var page = await SignUpAsync(fixture.Browser, fixture.Host, alice);

        await SignOutAsync(page);
        await page.GetByLabel("Username").FillAsync(alice);
        await page.GetByLabel("Password").FillAsync("Wr0ng-password!");
        // The README's first picture: SIGNIN_SCREENSHOT_PATH=$PWD/docs/images/sign-in.png ./test.sh refreshes it.
        var screenshot = Environment.GetEnvironmentVariable("SIGNIN_SCREENSHOT_PATH") ?? Path.Combine(AppContext.BaseDirectory, "sign-in.png");
        await page.ScreenshotAsync(new() { Path = screenshot });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The username or the password is wrong.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);

        await SignInOnPageAsync(page, alice, Password);
        var bob = "bob-" + Suffix();
        var bobPage = await SignUpAsync(fixture.Browser, fixture.Host, bob);
        var text = "hello bob, signed in for real " + Suffix();
        await Room(page, "general").ClickAsync();
        await Room(bobPage, "general").ClickAsync();
        await SendAsync(page, text);

        var arrived = Log(bobPage, "general").GetByRole(AriaRole.Listitem).Filter(new() { HasText = text });
        await Assertions.Expect(arrived).ToContainTextAsync(alice);
    }

    [Fact]
    public async Task Account_ShortOrCommonPassword_ShowsTheRule_AndTheFormSaysItBeforehand()
    {
        var page = await OpenAsync(fixture.Browser, fixture.Host);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Password")).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("At least 8 characters, 12 or more recommended"));

        await page.GetByLabel("Username").FillAsync("weak-" + Suffix());
        await page.GetByLabel("Password").FillAsync("abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Passwords must be at least 8 characters.");

        await page.GetByLabel("Password").FillAsync("Password1!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("list of common passwords");
    }

    [Fact]
    public async Task Passkey_TheSameAssertionWithTheSameCeremonyCookie_SignsInOnce()
    {
        var page = await OpenAsync(fixture.Browser, fixture.Host, fixture.LocalhostAddress);
        await AddVirtualAuthenticatorAsync(page);
        await CreateAccountOnPageAsync(page, "replay-" + Suffix(), Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Passkeys" }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Passkeys" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added Passkey 1.");
        await SignOutAsync(page);
        (string Body, Dictionary<string, string> Headers)? sent = null;
        await page.RouteAsync("**/login/passkey", async route =>
        {
            sent = (route.Request.PostData!, await route.Request.AllHeadersAsync());
            await route.ContinueAsync();
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(Room(page, "general")).ToBeVisibleAsync();
        using var replayer = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.LocalhostAddress };
        using var replay = new HttpRequestMessage(HttpMethod.Post, "/login/passkey")
        {
            Content = new StringContent(sent!.Value.Body, System.Text.Encoding.UTF8, "application/json"),
        };
        replay.Headers.Add("Cookie", sent.Value.Headers["cookie"]);
        replay.Headers.Add("X-XSRF-TOKEN", sent.Value.Headers["x-xsrf-token"]);
        var replayed = await replayer.SendAsync(replay, TestContext.Current.CancellationToken);

        replayed.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "a challenge is good once");
        replayed.Headers.TryGetValues("Set-Cookie", out var cookies).Should().BeFalse("no session is started: {0}", string.Join(", ", cookies ?? []));
        // Chromium's authenticator counts its signatures, so Identity's counter check refuses this replay too; synced
        // passkeys often count nothing (always 0), and then only the spent challenge, kept in the database, refuses it.
        using var body = System.Text.Json.JsonDocument.Parse(sent.Value.Body);
        var clientData = System.Buffers.Text.Base64Url.DecodeFromChars(
            body.RootElement.GetProperty("credential").GetProperty("response").GetProperty("clientDataJSON").GetString());
        var challenge = System.Text.Json.JsonDocument.Parse(clientData).RootElement.GetProperty("challenge").GetString();
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebApiHost.Accounts.AccountsDbContext>();
        (await db.UsedPasskeyChallenges.FindAsync([challenge], TestContext.Current.CancellationToken)).Should().NotBeNull(
            "the answered challenge is spent in the accounts database, for every host that shares it");
    }

    [Fact]
    public async Task Passkey_AddedWhileSignedIn_SignsInWithoutAPassword_AndCanBeRemoved()
    {
        // WebAuthn needs a name for the relying party (localhost), and an authenticator: Chromium's virtual one.
        var page = await OpenAsync(fixture.Browser, fixture.Host, fixture.LocalhostAddress);
        await AddVirtualAuthenticatorAsync(page);
        var name = "erin-" + Suffix();
        await CreateAccountOnPageAsync(page, name, Password);

        await page.GetByRole(AriaRole.Button, new() { Name = "Passkeys" }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Passkeys" });
        await Assertions.Expect(panel.GetByText("No passkeys yet.")).ToBeVisibleAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added Passkey 1.");
        await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Remove passkey Passkey 1" })).ToBeVisibleAsync();

        await SignOutAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Username: " + name)).ToBeVisibleAsync();
        await Assertions.Expect(Room(page, "general")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Passkeys" }).ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Remove passkey Passkey 1" }).ClickAsync();
        await Assertions.Expect(panel.GetByText("No passkeys yet.")).ToBeVisibleAsync();

        await SignOutAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The passkey was not accepted");
        (await PolicyViolationsAsync(page)).Should().BeEmpty("passkeys work under the host's Content-Security-Policy");
    }

    /// <summary>Chromium's virtual authenticator (resident keys, user verification) on the page.</summary>
    private static async Task AddVirtualAuthenticatorAsync(IPage page)
    {
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
            },
        });
    }
}
