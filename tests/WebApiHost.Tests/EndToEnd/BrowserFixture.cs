using Microsoft.Playwright;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>
/// Debian's chromium driven by Playwright (its own browser download cannot work offline), against the real host on
/// a real port, on the emulator, serving the real React build. The host has accounts; see
/// <see cref="UsernameOnlyBrowserFixture"/> for the tests about everything else.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public BrowserFixture()
        : this(usernameOnly: false)
    {
    }

    protected BrowserFixture(bool usernameOnly) => Host = new ChatHostFactory
    {
        UsernameOnly = usernameOnly,
        // Moderation on (BeyondTheTutorialTests.BlockedWord_…); no other test writes this word.
        Settings = new Dictionary<string, string> { ["Chat:Moderation:BlockedWords:0"] = BlockedWord },
    };

    /// <summary>The one word the hosts of the browser tests refuse in a message.</summary>
    public const string BlockedWord = "frobnicate";

    public ChatHostFactory Host { get; }

    /// <summary>The host by name: WebAuthn accepts <c>localhost</c> as a relying party, never an IP address.</summary>
    public Uri LocalhostAddress => new($"http://localhost:{Host.Port}");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Whether the tests open the React client (the host must have built it); the inspector's tests do not.</summary>
    protected virtual bool OpensTheChat => true;

    public async ValueTask InitializeAsync()
    {
        var index = Path.Combine(ChatHostFactory.RepositoryRoot, "samples", "WebApiHost", "wwwroot", "index.html");
        if (OpensTheChat && !File.Exists(index))
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
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--host-resolver-rules=MAP localhost 127.0.0.1"],   // the host listens on 127.0.0.1 only
        });
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>A browser against a host in the tutorial's username-only mode (<c>Chat:SignIn=UsernameOnly</c>).</summary>
public sealed class UsernameOnlyBrowserFixture : BrowserFixture
{
    public UsernameOnlyBrowserFixture()
        : base(usernameOnly: true)
    {
    }
}

/// <summary>A browser against the host's mounted emulator only (its inspector): the React client need not be built.</summary>
public sealed class EmulatorPagesBrowserFixture : BrowserFixture
{
    protected override bool OpensTheChat => false;
}
