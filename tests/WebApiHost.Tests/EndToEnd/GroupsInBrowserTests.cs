using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static WebApiHost.Tests.EndToEnd.ChatPage;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>
/// Groups (issue 26) in a real browser on the emulator, made the way Twilio's demo makes a conversation: through the
/// SDK (<c>createConversation</c> + <c>join()</c>), so its creator holds the service's conversation-creator role and may
/// add members, while a member added by them may not.
/// </summary>
public sealed class GroupsInBrowserTests(UsernameOnlyBrowserFixture fixture) : IClassFixture<UsernameOnlyBrowserFixture>
{
    private Task<IPage> LogInAsync(string username) => ChatPage.LogInAsync(fixture.Browser, fixture.Host, username);

    private static ILocator Form(IPage page, string name) => page.GetByRole(AriaRole.Form, new() { Name = name });

    private static ILocator Groups(IPage page) => Nav(page).GetByRole(AriaRole.List, new() { Name = "Groups" });

    private static async Task AddMemberAsync(IPage page, string identity)
    {
        var form = Members(page).GetByRole(AriaRole.Form, new() { Name = "Add member" });
        await form.GetByLabel("Username to add").FillAsync(identity);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
    }

    [Fact]
    public async Task CreatorMakesAGroupAndAddsAMember_WhoSeesItLiveAndTalks_WhileAPlainMemberCannotAdd()
    {
        var alice = "alice-" + Suffix();
        var bob = "bob-" + Suffix();
        var carol = "carol-" + Suffix();
        var group = "book club " + Suffix();
        var alicePage = await LogInAsync(alice);
        var bobPage = await LogInAsync(bob);
        var carolPage = await LogInAsync(carol);   // signed in once: a user the back end knows

        // Alice makes the group: it is hers, listed under Groups by its name, and opened.
        var newGroup = Form(alicePage, "New group");
        await newGroup.GetByLabel("Group name").FillAsync(group);
        await newGroup.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await Assertions.Expect(Groups(alicePage).GetByRole(AriaRole.Button, new() { Name = group })).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Heading, new() { Name = group })).ToBeVisibleAsync();
        await Assertions.Expect(Member(alicePage, alice)).ToBeVisibleAsync();

        // A username nobody ever signed in with is refused before anything is added.
        var nobody = "nobody-" + Suffix();
        await AddMemberAsync(alicePage, nobody);
        await Assertions.Expect(Members(alicePage).GetByRole(AriaRole.Alert))
            .ToHaveTextAsync($"Could not add {nobody}: {nobody} has never signed in to this chat.");

        // The creator adds Bob: his list shows the group at once, without a reload.
        await AddMemberAsync(alicePage, bob);
        await Assertions.Expect(Members(alicePage).GetByRole(AriaRole.Status)).ToHaveTextAsync($"Added {bob}.");
        await Assertions.Expect(Members(alicePage).GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(Member(alicePage, bob)).ToBeVisibleAsync();
        var bobsGroup = Groups(bobPage).GetByRole(AriaRole.Button, new() { Name = group });
        await Assertions.Expect(bobsGroup).ToBeVisibleAsync();

        // They read and write in it.
        await bobsGroup.ClickAsync();
        var hello = "hello group " + Suffix();
        await SendAsync(alicePage, hello);
        await Assertions.Expect(Log(bobPage, group).GetByText(hello)).ToBeVisibleAsync();
        var reply = "hi alice " + Suffix();
        await SendAsync(bobPage, reply);
        await Assertions.Expect(Log(alicePage, group).GetByText(reply)).ToBeVisibleAsync();

        // Bob, a plain member (the service's default conversation role), may not add anyone: the SDK's 403, said plainly.
        await AddMemberAsync(bobPage, carol);
        await Assertions.Expect(Members(bobPage).GetByRole(AriaRole.Alert)).ToContainTextAsync("Not allowed: ");
        await Assertions.Expect(Members(bobPage).GetByRole(AriaRole.Status)).Not.ToHaveTextAsync($"Added {carol}.");
        await Assertions.Expect(Nav(carolPage).GetByRole(AriaRole.Button, new() { Name = group })).ToHaveCountAsync(0);
        await Assertions.Expect(Member(alicePage, carol)).ToHaveCountAsync(0);

        // A group is no room: the host neither lists it nor offers to join it.
        using (var http = fixture.Host.CreateRealClient())
        {
            var rooms = await http.GetFromJsonAsync<JsonElement>("/rooms", Ct);
            rooms.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Should().NotContain(group);
        }

        await Assertions.Expect(carolPage.GetByRole(AriaRole.Button, new() { Name = "Join " + group })).ToHaveCountAsync(0);

        // Bob leaves: it goes from his list, and Alice sees him go.
        await bobPage.GetByRole(AriaRole.Button, new() { Name = "Leave group" }).ClickAsync();
        await Assertions.Expect(bobPage.GetByRole(AriaRole.Status).Filter(new() { HasText = $"You left {group}." })).ToBeVisibleAsync();
        await Assertions.Expect(Nav(bobPage).GetByRole(AriaRole.Button, new() { Name = group })).ToHaveCountAsync(0);
        await Assertions.Expect(Member(alicePage, bob)).ToHaveCountAsync(0);
    }
}
