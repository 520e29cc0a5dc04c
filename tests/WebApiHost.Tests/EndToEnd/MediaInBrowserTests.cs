using Microsoft.Playwright;
using static WebApiHost.Tests.EndToEnd.ChatPage;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>
/// Pictures and files in the real client, host and emulator: one user attaches a picture and a document, the other
/// sees the picture inline (its bytes loaded under the host's policy) and the document as a named link.
/// </summary>
public sealed class MediaInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>A real 1x1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    [Fact]
    public async Task UserSendsAPictureAndADocument_TheOtherSeesThePictureAndAFileLink_InBothWindows()
    {
        var alice = await SignUpAsync(fixture.Browser, fixture.Host, "alice-" + Suffix());
        var bob = await SignUpAsync(fixture.Browser, fixture.Host, "bob-" + Suffix());
        var picture = $"dot-{Suffix()}.png";
        await Room(alice, "general").ClickAsync();
        await Room(bob, "general").ClickAsync();

        await alice.GetByLabel("Attach files").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = picture, MimeType = "image/png", Buffer = Png },
            new FilePayload { Name = "notes.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 minutes"u8.ToArray() },
        });
        await Assertions.Expect(alice.GetByRole(AriaRole.List, new() { Name = "Files to send" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await SendAsync(alice, "this week");

        foreach (var page in new[] { bob, alice })
        {
            var image = Log(page, "general").GetByRole(AriaRole.Img, new() { Name = picture });
            await Assertions.Expect(image).ToBeVisibleAsync();
            // Loaded, not only placed: its bytes came from the media service.
            await Assertions.Expect(image).ToHaveJSPropertyAsync("naturalWidth", 1);
            await Assertions.Expect(Log(page, "general").GetByRole(AriaRole.Link, new() { Name = "notes.pdf (16 B)" })).ToBeVisibleAsync();
        }

        var open = Log(bob, "general").GetByRole(AriaRole.Link, new() { Name = $"Open {picture} full size" });
        var popup = await bob.RunAndWaitForPopupAsync(() => open.ClickAsync());
        popup.Url.Should().Contain("/emulator/mcs/content/");
        (await PolicyViolationsAsync(alice)).Should().BeEmpty();
        (await PolicyViolationsAsync(bob)).Should().BeEmpty();
    }
}
