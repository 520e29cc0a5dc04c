using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static WebApiHost.Tests.EndToEnd.ChatPage;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>People using the chat with real accounts: two users, two browser contexts, the real client, host and emulator.</summary>
public sealed partial class ChatInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private Task<IPage> LogInAsync(string username) => SignUpAsync(fixture.Browser, fixture.Host, username);

    [Fact]
    public async Task TwoUsers_MessageInARoom_AppearsForTheOtherWithoutReload_AndOnlyInThatRoom()
    {
        var alice = await LogInAsync("alice-" + Suffix());
        var bob = await LogInAsync("bob-" + Suffix());
        var text = "hello from alice " + Suffix();

        await Room(alice, "general").ClickAsync();
        await Room(bob, "general").ClickAsync();
        await SendAsync(alice, text);

        await Assertions.Expect(Log(bob, "general").GetByText(text)).ToBeVisibleAsync();
        await Assertions.Expect(Log(alice, "general").GetByText(text)).ToHaveCountAsync(1);
        // The README's picture: CHAT_SCREENSHOT_PATH=$PWD/docs/images/two-user-chat.png ./test.sh refreshes it.
        var screenshot = Environment.GetEnvironmentVariable("CHAT_SCREENSHOT_PATH") ?? Path.Combine(AppContext.BaseDirectory, "two-user-chat.png");
        await bob.ScreenshotAsync(new() { Path = screenshot });

        await Room(bob, "random").ClickAsync();
        await Assertions.Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "random" })).ToBeVisibleAsync();
        await Assertions.Expect(Log(bob, "random")).ToHaveAttributeAsync("aria-busy", "false");   // history loaded
        await Assertions.Expect(bob.GetByText(text)).ToHaveCountAsync(0);
        // The chat (scripts, styles, the twilsock connection to the emulator on this host) under the host's policy.
        (await PolicyViolationsAsync(alice)).Should().BeEmpty();
        (await PolicyViolationsAsync(bob)).Should().BeEmpty();
    }

    [Fact]
    public async Task MessageThatLooksLikeHtml_IsShownAsText()
    {
        var page = await LogInAsync("mallory-" + Suffix());
        var html = "<img src=x onerror=alert(1)> " + Suffix();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await Room(page, "random").ClickAsync();
        await SendAsync(page, html);

        await Assertions.Expect(Log(page, "random").GetByText(html)).ToBeVisibleAsync();
        await Assertions.Expect(Log(page, "random").Locator("img")).ToHaveCountAsync(0);
        dialogs.Should().Be(0);
    }

    [Fact]
    public async Task History_IsThereAfterAReload()
    {
        var name = "carol-" + Suffix();
        var page = await LogInAsync(name);
        var text = "remember me " + Suffix();
        await Room(page, "general").ClickAsync();
        await SendAsync(page, text);
        await Assertions.Expect(Log(page, "general").GetByText(text)).ToBeVisibleAsync();

        await page.ReloadAsync();
        // The session cookie survives the reload: the chat comes back without signing in again.
        await Assertions.Expect(page.GetByText("Username: " + name)).ToBeVisibleAsync();

        await Room(page, "general").ClickAsync();
        await Assertions.Expect(Log(page, "general").GetByText(text)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task History_IsThereAfterTheHostRestarts()
    {
        var name = "dave-" + Suffix();
        var text = "still here after a restart " + Suffix();
        using var data = new TemporaryDirectory("restart-data-");
        var dataDirectory = data.Path;
        await using (var first = new ChatHostFactory { DataDirectory = dataDirectory })
        {
            first.CreateRealClient().Dispose();
            var page = await SignUpAsync(fixture.Browser, first, name);
            await Room(page, "general").ClickAsync();
            await SendAsync(page, text);
            await Assertions.Expect(Log(page, "general").GetByText(text)).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }

        await using var second = new ChatHostFactory { DataDirectory = dataDirectory };
        second.CreateRealClient().Dispose();
        var again = await OpenAsync(fixture.Browser, second);
        await SignInOnPageAsync(again, name, Password);   // the account, too, survived the restart
        await Room(again, "general").ClickAsync();

        await Assertions.Expect(Log(again, "general").GetByText(text)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task BadUsername_ShowsTheError()
    {
        var page = await OpenAsync(fixture.Browser, fixture.Host);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();

        await page.GetByLabel("Username").FillAsync(new string('x', 300));
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(new Regex("256"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
    }

}
