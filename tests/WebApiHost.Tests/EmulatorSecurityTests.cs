using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;

namespace WebApiHost.Tests;

/// <summary>
/// The host on its emulator, attacked from loopback as issue #13 describes: foreign Host names (DNS rebinding), web
/// pages of other origins, well-known secrets, Host headers echoed into URLs, and a third user at a private conversation.
/// </summary>
public sealed class EmulatorSecurityTests(UsernameOnlyHostFactory factory) : IClassFixture<UsernameOnlyHostFactory>
{
    private readonly HttpClient _client = factory.CreateRealClient();

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:5000")]
    [InlineData("localhost.attacker.example")]
    [InlineData("192.0.2.2")]
    public async Task ForeignHostName_IsRefused_OnEveryDoor_AndNothingIsCreated(string host)
    {
        var name = SignedInUser.NewName("rebound");

        using var login = await SendAsync(HttpMethod.Post, "/login", host, JsonContent.Create(new { username = name }));
        using var emulator = await SendAsync(HttpMethod.Post, "/emulator/v1/Conversations", host,
            new FormUrlEncodedContent([new("UniqueName", name)]), basic: true);
        using var twilsock = await SendAsync(HttpMethod.Get, "/emulator/twilsock", host, null);

        login.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        emulator.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        twilsock.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var user = await SendAsync(HttpMethod.Get, "/emulator/v1/Users/" + name, null, null, basic: true);
        using var conversation = await SendAsync(HttpMethod.Get, "/emulator/v1/Conversations/" + name, null, null, basic: true);
        user.StatusCode.Should().Be(HttpStatusCode.NotFound);
        conversation.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:1234")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:5000")]
    public async Task LocalHostName_IsServed(string host)
    {
        using var health = await SendAsync(HttpMethod.Get, "/health", host, null);

        health.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EmulatorUrls_ComeFromTheHostsAddress_NotTheHostHeader()
    {
        using var list = await SendAsync(HttpMethod.Get, "/emulator/v1/Conversations?PageSize=1", "localhost:9", null, basic: true);
        var body = await list.Content.ReadFromJsonAsync<JsonElement>(Ct);

        list.StatusCode.Should().Be(HttpStatusCode.OK);
        body.GetProperty("meta").GetProperty("url").GetString().Should().StartWith(new Uri(factory.BaseAddress, "/emulator/v1/Conversations?").ToString());
    }

    [Fact]
    public async Task Twilsock_FromAForeignOrigin_IsRefused_FromTheHostsOwnPage_IsServed()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));

        var foreign = await OpenTwilsockAsync(alice.Token, "http://attacker.example");
        var own = await OpenTwilsockAsync(alice.Token, factory.BaseAddress.ToString().TrimEnd('/'));
        var devServer = await OpenTwilsockAsync(alice.Token, "http://localhost:5173");
        using var plain = new HttpRequestMessage(HttpMethod.Get, "/emulator/twilsock");
        plain.Headers.Add("Origin", "http://attacker.example");
        using var refusal = await _client.SendAsync(plain, Ct);

        foreign.Should().Be(HttpStatusCode.Forbidden);
        refusal.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refusal.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetInt32().Should().Be(20403);
        own.Should().Be(HttpStatusCode.OK, "the socket opened and init was accepted");
        devServer.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsPermission()
    {
        foreach (var path in new[] { "/login", "/emulator/v1/Conversations", "/emulator/twilsock" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", "http://attacker.example");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            using var response = await _client.SendAsync(request, Ct);

            response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse(path);
            response.Headers.Contains("Access-Control-Allow-Credentials").Should().BeFalse(path);
        }
    }

    [Fact]
    public async Task WellKnownDevelopmentCredentials_AreRefused_TheGeneratedOnesAreOwnerOnly()
    {
        var wellKnown = EmulatorCredentials.Development;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/emulator/v1/Conversations");
        request.Headers.Authorization = EmulatorClients.Basic(wellKnown, useAccountToken: true);

        using var response = await _client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var file = Path.Combine(factory.DataDirectory, EmulatorCredentials.FileName);
        EmulatorClients.CredentialsIn(factory.DataDirectory).Should().Be(factory.EmulatorCredentials);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task ThirdUser_CannotDiscoverReadJoinOrWriteAPrivateConversation_ThroughTwilsock_AndAliceIsNotTold()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
        var carol = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("carol"));
        using var started = await alice.PostAsync("/private-conversations", new { with = bob.Identity });
        var sid = (await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
        await using var alices = await HostTwilsock.ConnectAsync(factory, alice, Ct);
        await alices.Client.SubscribeAsync([sid + ".messages", sid + ".roster"], Ct);
        await using var carols = await HostTwilsock.ConnectAsync(factory, carol, Ct);
        (await alices.SendAsync(sid, "secret between A and B", Ct)).HttpStatus.Should().Be(200);
        var conversations = carols.ConversationsPath;
        var myConversations = conversations[..conversations.LastIndexOf('/')] + "/MyConversations";

        var listed = await carols.RequestAsync("GET", myConversations, null, Ct);
        var subscribed = await carols.Client.SubscribeAsync([sid + ".messages", sid + ".roster", sid + ".channel"], Ct);
        var doors = new (string Method, string Path, JsonNode? Body)[]
        {
            ("GET", $"{conversations}/{sid}", null),                                                      // peek
            ("POST", $"{conversations}/{sid}/Participants", new JsonObject { ["identity"] = carol.Identity }), // join
            ("GET", $"/v3/Lists/{sid}.messages/Items", null),                                            // read
            ("POST", $"{conversations}/{sid}/Messages", new JsonObject { ["body"] = "carol was here" }),     // write
            ("GET", $"/v3/Maps/{sid}.roster/Items", null),                                               // members
        };
        var answers = new List<TwilsockTestFrame>();
        foreach (var (method, path, body) in doors)
        {
            answers.Add(await carols.RequestAsync(method, path, body, Ct));
        }

        // A message after Carol's tries: once Alice has it, anything they caused would have reached her first.
        var after = (await alices.SendAsync(sid, "after carol", Ct)).Payload!["index"]!.GetValue<int>();
        await alices.Client.WaitForNotificationAsync(n => TwilsockTestClient.SyncEvent(n) is ("list_item_added", var e) && (int?)e?["item_index"] == after, Ct);

        listed.HttpStatus.Should().Be(200);
        listed.Payload!["conversations"]!.AsArray().Select(c => (string)c!["conversation_sid"]!)
            .Should().NotBeEmpty("Carol is in the rooms sign-in put her in").And.NotContain(sid);
        listed.Payload.ToJsonString().Should().NotContain(alice.Identity);
        subscribed.Values.Should().AllBe("subscription_failed");
        foreach (var (answer, door) in answers.Zip(doors))
        {
            answer.HttpStatus.Should().Be(404, $"{door.Method} {door.Path}");
            answer.Payload!["code"]!.GetValue<int>().Should().Be(20404);
        }

        alices.Client.Notifications.Select(TwilsockTestClient.SyncEvent)
            .Should().NotContain(x => x.Event != null && (string?)x.Event["map_sid"] == sid + ".roster", "Alice is not told of anyone joining");
        var messages = await alices.MessagesAsync(sid, Ct);
        messages.Bodies.Should().Equal("secret between A and B", "after carol");
        using var participants = await SendAsync(HttpMethod.Get, $"/emulator/v1/Conversations/{sid}/Participants", null, null, basic: true);
        (await participants.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("participants").EnumerateArray()
            .Select(p => p.GetProperty("identity").GetString()).Should().BeEquivalentTo([alice.Identity, bob.Identity]);
    }

    [Fact]
    public async Task ThirdUser_CannotJoinAPrivateConversation_ThroughTheHostsRoomEndpoint()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
        var carol = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("carol"));
        using var started = await alice.PostAsync("/private-conversations", new { with = bob.Identity });
        var sid = (await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
        using var fetched = await SendAsync(HttpMethod.Get, "/emulator/v1/Conversations/" + sid, null, null, basic: true);
        var uniqueName = (await fetched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("unique_name").GetString()!;

        using var bySid = await carol.PostAsync("/rooms/join", new { room = sid });
        using var byName = await carol.PostAsync("/rooms/join", new { room = uniqueName });

        bySid.StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        byName.StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        using var participants = await SendAsync(HttpMethod.Get, $"/emulator/v1/Conversations/{sid}/Participants", null, null, basic: true);
        (await participants.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("participants").EnumerateArray()
            .Select(p => p.GetProperty("identity").GetString()).Should().BeEquivalentTo([alice.Identity, bob.Identity]);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? host, HttpContent? content, bool basic = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (basic)
        {
            request.Headers.Authorization = EmulatorClients.Basic(factory.EmulatorCredentials, useAccountToken: true);
        }

        return await _client.SendAsync(request, Ct);
    }

    /// <summary>Opens the twilsock websocket from a page of <paramref name="origin"/>: 403 when refused, 200 once init is accepted.</summary>
    private async Task<HttpStatusCode> OpenTwilsockAsync(string token, string origin)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        try
        {
            await socket.ConnectAsync(HostTwilsock.Uri(factory), Ct);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        await socket.SendAsync(TwilsockTestFrame.Encode(new JsonObject { ["method"] = "init", ["id"] = "TM1", ["token"] = token }, null),
            System.Net.WebSockets.WebSocketMessageType.Binary, endOfMessage: true, Ct);
        var buffer = new byte[64 * 1024];
        var received = await socket.ReceiveAsync(buffer, Ct);
        var reply = TwilsockTestFrame.Decode(buffer[..received.Count]);
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, Ct);
        return (HttpStatusCode)reply.StatusCode;
    }
}
