using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>How the tests find things in the chat, the way a user does: by role and accessible name.</summary>
internal static partial class ChatPage
{
    /// <summary>
    /// How long a step waits for the page (ms): a guard on a hang, not a claim about speed. A passkey ceremony took more
    /// than 15 s in a CI run at a load of 37 on 2 cores, so it is generous.
    /// </summary>
    public const float Timeout = 45_000;

    public static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>The password every test account gets: it passes Identity's default rules.</summary>
    public const string Password = "Chat-r00m-pass!";

    /// <summary>A new browser context (a new device) on the chat's page, not signed in; <paramref name="origin"/> replaces the host's address.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, ChatHostFactory host, Uri? origin = null)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = (origin ?? host.BaseAddress).ToString(), ViewportSize = new() { Width = 1200, Height = 800 } });
        // Whatever the Content-Security-Policy blocks (a script, a style, a connection) is reported on the page.
        await context.AddInitScriptAsync("window.__policyViolations = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__policyViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI));");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        var response = await page.GotoAsync("/");
        // Every browser test runs the chat under the host's policy: the page must come with it.
        (await response!.HeaderValueAsync("content-security-policy")).Should().Contain("frame-ancestors 'none'");
        return page;
    }

    /// <summary>What the page's Content-Security-Policy has blocked so far (directive and address), none when all is well.</summary>
    public static Task<string[]> PolicyViolationsAsync(IPage page) => page.EvaluateAsync<string[]>("() => window.__policyViolations");

    /// <summary>A new device signed in as <paramref name="username"/> on a host in the username-only mode.</summary>
    public static async Task<IPage> LogInAsync(IBrowser browser, ChatHostFactory host, string username)
    {
        var page = await OpenAsync(browser, host);
        await SignInOnPageAsync(page, username);
        return page;
    }

    /// <summary>A new device where <paramref name="username"/> creates an account (with <see cref="Password"/>) and is signed in.</summary>
    public static async Task<IPage> SignUpAsync(IBrowser browser, ChatHostFactory host, string username)
    {
        var page = await OpenAsync(browser, host);
        await CreateAccountOnPageAsync(page, username, Password);
        return page;
    }

    public static async Task CreateAccountOnPageAsync(IPage page, string username, string password)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Username: " + username)).ToBeVisibleAsync();
    }

    /// <summary>Signs in on the sign-in form; without a password, as the username-only mode allows.</summary>
    public static async Task SignInOnPageAsync(IPage page, string username, string? password = null)
    {
        await page.GetByLabel("Username").FillAsync(username);
        if (password is not null)
        {
            await page.GetByLabel("Password").FillAsync(password);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Username: " + username)).ToBeVisibleAsync();
    }

    public static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
    }

    public static ILocator Nav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" });

    /// <summary>A room (or private conversation) of the user's, whatever its unread badge says.</summary>
    public static ILocator Room(IPage page, string name) =>
        Nav(page).GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^" + Regex.Escape(name) + @"( \d+ unread)?$") });

    public static ILocator Log(IPage page, string room) => page.GetByRole(AriaRole.Log, new() { Name = "Messages in " + room });

    public static ILocator Members(IPage page) => page.GetByRole(AriaRole.Complementary, new() { Name = "Members" });

    public static ILocator Member(IPage page, string identity) =>
        Members(page).GetByRole(AriaRole.Listitem).Filter(new() { HasText = identity });

    public static ILocator Typing(IPage page) => page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = TypingText() });

    public static async Task SendAsync(IPage page, string text)
    {
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(text);
        await page.GetByLabel("Message", new() { Exact = true }).PressAsync("Enter");
    }

    [GeneratedRegex("typing…")]
    private static partial Regex TypingText();
}
