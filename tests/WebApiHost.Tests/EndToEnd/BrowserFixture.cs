using Microsoft.Playwright;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>
/// Debian's chromium driven by Playwright (its own browser download cannot work offline), against the real host on
/// a real port, on the emulator, serving the real React build.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ChatHostFactory Host { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var index = Path.Combine(ChatHostFactory.RepositoryRoot, "samples", "WebApiHost", "wwwroot", "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException($"The React client is not built ({index} is missing): build samples/WebApiHost first.");
        }

        Host.CreateRealClient().Dispose();   // starts the server
        // Expectations wait as long as actions do: under a full test run the 2 cores are busy and events arrive later.
        Assertions.SetDefaultExpectTimeout(ChatPage.Timeout);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Host.DisposeAsync();
    }
}
