using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>How the tests find things in the chat, the way a user does: by role and accessible name.</summary>
internal static partial class ChatPage
{
    public const float Timeout = 15_000;

    public static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>A new browser context (a new device) signed in as <paramref name="username"/>.</summary>
    public static async Task<IPage> LogInAsync(IBrowser browser, ChatHostFactory host, string username)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString(), ViewportSize = new() { Width = 1200, Height = 800 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        await page.GotoAsync("/");
        await SignInOnPageAsync(page, username);
        return page;
    }

    public static async Task SignInOnPageAsync(IPage page, string username)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Username: " + username)).ToBeVisibleAsync();
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
