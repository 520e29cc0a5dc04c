using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Twilio.ChatRooms.Emulator;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>
/// The emulator's inspector, as the host mounts it (<c>/emulator/inspector</c>), in a real browser on a real port:
/// what it shows, live, encoded, behind the emulator's credentials, its fault form, and axe-core's verdict.
/// </summary>
public sealed class InspectorInBrowserTests(EmulatorPagesBrowserFixture fixture) : IClassFixture<EmulatorPagesBrowserFixture>
{
    private ChatHostFactory Host => fixture.Host;

    private Uri Emulator => new(Host.BaseAddress, "/emulator/");

    private Twilio.Clients.TwilioRestClient Sdk => EmulatorClients.Twilio(Emulator, Host.EmulatorCredentials);

    private EmulatorFaults Faults => Host.Services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Faults;

    [Fact]
    public async Task Conversation_AndItsMessages_Appear_AndAMessageSentMeanwhile_ShowsUpWithoutAReload()
    {
        var name = "inspected " + ChatPage.Suffix();
        var conversation = await ConversationResource.CreateAsync(friendlyName: name, client: Sdk);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: "ida-" + ChatPage.Suffix(), client: Sdk);
        var first = "first message " + ChatPage.Suffix();
        await MessageResource.CreateAsync(conversation.Sid, author: "ida", body: first, client: Sdk);
        var page = await OpenAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        var messages = page.Locator("#messages");
        await Assertions.Expect(messages.GetByRole(AriaRole.Heading, new() { Name = "Messages of " + name })).ToBeVisibleAsync();
        await Assertions.Expect(messages.GetByRole(AriaRole.Cell, new() { Name = first, Exact = true })).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        var later = "sent meanwhile " + ChatPage.Suffix();
        await MessageResource.CreateAsync(conversation.Sid, author: "ida", body: later, client: Sdk);

        await Assertions.Expect(messages.GetByRole(AriaRole.Cell, new() { Name = later, Exact = true })).ToBeVisibleAsync();
        // Newest first: the later message's row comes before the first's.
        var bodies = await messages.Locator("tbody tr td:nth-child(3)").AllInnerTextsAsync();
        bodies.Should().ContainInOrder(later, first);
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).Should().BeTrue("the message came without a reload");
        (await ChatPage.PolicyViolationsAsync(page)).Should().BeEmpty();
    }

    [Fact]
    public async Task ScriptInAMessageBody_IsShownAsText_OnLoad_AndWhenItArrivesLive()
    {
        var name = "scripted " + ChatPage.Suffix();
        var conversation = await ConversationResource.CreateAsync(friendlyName: name, client: Sdk);
        var onLoad = "<script>window.__ran = 'load'</script><img src=x onerror=\"window.__ran='img'\"> " + ChatPage.Suffix();
        await MessageResource.CreateAsync(conversation.Sid, author: "mallory", body: onLoad, client: Sdk);
        var page = await OpenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        var messages = page.Locator("#messages");
        await Assertions.Expect(messages.GetByText(onLoad)).ToBeVisibleAsync();

        var live = "<script>window.__ran = 'live'</script><b>bold?</b> " + ChatPage.Suffix();
        await MessageResource.CreateAsync(conversation.Sid, author: "mallory", body: live, client: Sdk);

        await Assertions.Expect(messages.GetByText(live)).ToBeVisibleAsync();
        await Assertions.Expect(messages.Locator("tbody script, tbody img, tbody b")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<string?>("() => window.__ran ?? null")).Should().BeNull();
    }

    [Fact]
    public async Task WithoutCredentials_TheInspectorIs401_AndAsksForThem()
    {
        using var anonymous = new HttpClient { BaseAddress = Host.BaseAddress };
        foreach (var path in (string[])["/emulator/inspector", "/emulator/inspector/live", "/emulator/inspector/changes?after=0"])
        {
            using var answer = await anonymous.GetAsync(path, Ct);
            answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
            answer.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Basic");
            (await answer.Content.ReadAsStringAsync(Ct)).Should().NotContain("conversation", "nothing of the state is shown");
        }

        using var wrong = new HttpClient { BaseAddress = Host.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = EmulatorClients.Basic(Host.EmulatorCredentials.AccountSid, "not-the-token");
        using var refused = await wrong.PostAsync("/emulator/inspector/faults", EmulatorClients.Form(("ServiceUnavailableRate", "1")), Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Faults.ServiceUnavailableRate.Should().Be(0);

        // In the browser: no credentials, no page (headless, Chromium cannot prompt and gives up on the challenge).
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = Host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var opening = () => page.GotoAsync("/emulator/inspector");
        await opening.Should().ThrowAsync<PlaywrightException>().WithMessage("*ERR_INVALID_AUTH_CREDENTIALS*");
        await context.DisposeAsync();
    }

    [Fact]
    public async Task FaultForm_ChangesTheFaults_AsTheRestFaceAnswers()
    {
        var page = await OpenAsync();
        try
        {
            await page.GetByLabel("Share of requests answered 503 (0 to 1)").FillAsync("1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the faults" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The faults are saved.");
            await Assertions.Expect(page.GetByLabel("Share of requests answered 503 (0 to 1)")).ToHaveValueAsync("1");

            using var rest = EmulatorClients.Raw(Emulator, Host.EmulatorCredentials);
            using var answer = await rest.GetAsync("v1/Conversations", Ct);
            answer.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct));
            body.RootElement.GetProperty("code").GetInt32().Should().Be(20503);

            // A bad value changes nothing, and says which field.
            await page.GetByLabel("Share of requests answered 503 (0 to 1)").FillAsync("0");
            await page.GetByLabel("Share of requests answered 429 (0 to 1)").EvaluateAsync("e => { e.type = 'text'; e.value = '2'; }");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the faults" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("TooManyRequestsRate must be a number from 0 to 1");
            Faults.ServiceUnavailableRate.Should().Be(1);
            Faults.TooManyRequestsRate.Should().Be(0);
        }
        finally
        {
            Faults.ServiceUnavailableRate = 0;
            Faults.TooManyRequestsRate = 0;
        }
    }

    [Fact]
    public async Task Form_PostedFromAnotherSite_IsRefused_AndChangesNothing()
    {
        using var rest = EmulatorClients.Raw(Emulator, Host.EmulatorCredentials, useAccountToken: true);
        foreach (var (header, value) in ((string, string)[])[("Sec-Fetch-Site", "cross-site"), ("Origin", "http://evil.example")])
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "inspector/faults") { Content = EmulatorClients.Form(("ServiceUnavailableRate", "1")) };
            request.Headers.Add(header, value);
            using var answer = await rest.SendAsync(request, Ct);
            answer.StatusCode.Should().Be(HttpStatusCode.Forbidden, header);
            Faults.ServiceUnavailableRate.Should().Be(0);
        }
    }

    [Fact]
    public async Task Page_HasNoAxeViolations_WithAConversationOpen()
    {
        var folder = Path.Combine(ChatHostFactory.RepositoryRoot, "tests", "WebApiHost.Tests", "axe");
        var axe = Path.Combine(folder, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
        {
            var (exit, _, error) = await ChildProcess.RunAsync(new System.Diagnostics.ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = folder }, Ct);
            exit.Should().Be(0, "npm ci installs axe-core in {0}: {1}", folder, error);
        }

        var name = "accessible " + ChatPage.Suffix();
        var conversation = await ConversationResource.CreateAsync(friendlyName: name, client: Sdk);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: "ada-" + ChatPage.Suffix(), client: Sdk);
        await MessageResource.CreateAsync(conversation.Sid, author: "ada", body: "hello", client: Sdk);
        var page = await OpenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(page.Locator("#messages").GetByRole(AriaRole.Cell, new() { Name = "hello", Exact = true })).ToBeVisibleAsync();

        // Evaluated through the browser's debugging protocol, which the page's policy does not govern.
        await page.EvaluateAsync(await File.ReadAllTextAsync(axe, Ct));
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document)).violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))");
        violations.EnumerateArray().Select(v => v.GetString()).Should().BeEmpty();
    }

    /// <summary>A new browser context that knows the emulator's credentials (as a developer types them at the prompt), on the inspector.</summary>
    private async Task<IPage> OpenAsync()
    {
        var credentials = Host.EmulatorCredentials;
        var context = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = Host.BaseAddress.ToString(),
            HttpCredentials = new() { Username = credentials.AccountSid, Password = credentials.AuthToken },
        });
        await context.AddInitScriptAsync("window.__policyViolations = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__policyViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI));");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(ChatPage.Timeout);
        var response = await page.GotoAsync("/emulator/inspector");
        response!.Status.Should().Be(200);
        (await response.HeaderValueAsync("content-security-policy")).Should().Contain("script-src 'self'").And.NotContain("unsafe-inline");
        return page;
    }
}
