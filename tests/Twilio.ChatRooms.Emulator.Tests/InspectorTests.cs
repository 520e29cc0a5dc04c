using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Twilio.ChatRooms.TestSupport;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// The inspector on <see cref="ConversationsEmulatorServer"/> (as the stand-alone tool serves it), over HTTP: the
/// connected clients it lists, the long poll that tells its page of a change, the inbound-SMS form and a message's
/// files. Its browser tests are in WebApiHost.Tests (InspectorInBrowserTests).
/// </summary>
public sealed partial class InspectorTests
{
    private const string Proxy = "+15550009000";

    [Fact]
    public async Task ConnectedClient_IsListed_WithItsSubscriptions_UntilItLeaves()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = Inspector(server);
        var client = await Twilsock.ConnectAsync(server, "ivy", Ct);
        var (conversations, userInfo) = await Twilsock.SyncObjectsAsync(client, Ct);
        await client.SubscribeAsync([conversations, userInfo], Ct);

        var live = await http.GetStringAsync("inspector/live", Ct);

        var row = ClientRow().Match(Section(live, "clients"));
        row.Success.Should().BeTrue(live);
        row.Groups["identity"].Value.Should().Be("ivy");
        row.Groups["subscriptions"].Value.Should().Be("2");
        row.Groups["waiting"].Value.Should().MatchRegex("^[0-9]+$");

        await client.DisposeAsync();
        // Gone once the emulator saw the socket close: each change the page would be told of, until it is.
        while (true)
        {
            using var answer = await http.GetAsync("inspector/live", Ct);
            if (!Section(await answer.Content.ReadAsStringAsync(Ct), "clients").Contains("ivy", StringComparison.Ordinal))
            {
                break;
            }

            await http.GetStringAsync($"inspector/changes?after={answer.Headers.GetValues("X-Inspector-Version").Single()}", Ct);
        }
    }

    [Fact]
    public async Task LongPoll_AnswersOnceAWriteCommits_AndAtOnceWhenItIsBehind()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = Inspector(server);
        using var first = await http.GetAsync("inspector/live", Ct);
        var version = long.Parse(first.Headers.GetValues("X-Inspector-Version").Single(), System.Globalization.CultureInfo.InvariantCulture);

        var poll = http.GetStringAsync($"inspector/changes?after={version}", Ct);
        await ConversationResource.CreateAsync(friendlyName: "polled", client: EmulatorClients.Twilio(server));

        long.Parse(await poll, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(version);
        (await http.GetStringAsync("inspector/live", Ct)).Should().Contain("polled");
        long.Parse(await http.GetStringAsync("inspector/changes?after=0", Ct), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(version);
        (await http.GetAsync("inspector/changes?after=-1", Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task InboundSmsForm_AddsTheText_AndOneMissingAFieldChangesNothing()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var sdk = EmulatorClients.Twilio(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "texts", client: sdk);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: "+15551230001", messagingBindingProxyAddress: Proxy, client: sdk);
        using var http = Inspector(server, follow: false);

        using var sent = await http.PostAsync("inspector/sms", EmulatorClients.Form(("From", "+15551230001"), ("To", Proxy), ("Body", "from the phone")), Ct);
        sent.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        sent.Headers.Location!.ToString().Should().Contain("/inspector?saved=sms&added=1");
        using var missing = await http.PostAsync("inspector/sms", EmulatorClients.Form(("From", "+15551230001"), ("To", Proxy)), Ct);
        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await missing.Content.ReadAsStringAsync(Ct)).Should().Contain("Body");

        var messages = await MessageResource.ReadAsync(room.Sid, client: sdk);
        messages.Select(m => m.Body).Should().Equal("from the phone");
    }

    [Fact]
    public async Task MessageWithAFile_ShowsItsNameAndSize()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var rest = EmulatorClients.Raw(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "files", client: EmulatorClients.Twilio(server));
        using var content = new ByteArrayContent(new byte[1500]) { Headers = { ContentType = MediaTypeHeaderValue.Parse("application/pdf") } };
        using var upload = await rest.PostAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{server.DefaultServiceSid}/Media?Filename=report%3Cb%3E.pdf"), content, Ct);
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        var media = System.Text.Json.Nodes.JsonNode.Parse(await upload.Content.ReadAsStringAsync(Ct))!["sid"]!.GetValue<string>();
        (await rest.PostAsync($"v1/Conversations/{room.Sid}/Messages", EmulatorClients.Form(("MediaSid", media)), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);
        using var http = Inspector(server);

        var messages = Section(await http.GetStringAsync($"inspector/live?conversation={room.Sid}", Ct), "messages");

        messages.Should().Contain("<li>report&lt;b&gt;.pdf, 1.5 KiB (1500 bytes), application/pdf</li>");
    }

    [Fact]
    public async Task Messages_ArePaged_NewestFirst()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var rest = EmulatorClients.Raw(server);
        var room = await ConversationResource.CreateAsync(friendlyName: "long", client: EmulatorClients.Twilio(server));
        for (var i = 0; i < 25; i++)
        {
            (await rest.PostAsync($"v1/Conversations/{room.Sid}/Messages", EmulatorClients.Form(("Author", "ann"), ("Body", $"number {i}")), Ct))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var http = Inspector(server);

        var first = Section(await http.GetStringAsync($"inspector/live?conversation={room.Sid}", Ct), "messages");
        var second = Section(await http.GetStringAsync($"inspector/live?conversation={room.Sid}&page=1", Ct), "messages");

        Bodies(first).Should().Equal(Enumerable.Range(5, 20).Reverse().Select(i => $"number {i}"));
        first.Should().Contain(">Older</a>").And.NotContain(">Newer</a>");
        Bodies(second).Should().Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"number {i}"));
        second.Should().Contain(">Newer</a>").And.NotContain(">Older</a>");
    }

    private static IEnumerable<string> Bodies(string html) => BodyCell().Matches(html).Select(m => m.Groups[1].Value);

    [GeneratedRegex("<span class=\"body\">([^<]*)</span>")]
    private static partial Regex BodyCell();

    /// <summary>An HTTP client of the inspector with the account's credentials, as a browser holds them once asked.</summary>
    private static HttpClient Inspector(ConversationsEmulatorServer server, bool follow = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = follow })
        {
            BaseAddress = new Uri(server.BaseAddress.ToString().TrimEnd('/') + "/"),
            DefaultRequestHeaders = { Authorization = EmulatorClients.Basic(server.Credentials, useAccountToken: true) },
        };

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\"", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, html);
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<tr><td>(?<identity>[^<]*)</td><td><time[^>]*>[^<]*</time></td><td>(?<subscriptions>[0-9]+)</td><td>(?<waiting>[0-9]+)</td>")]
    private static partial Regex ClientRow();
}
