using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary>
/// The host on its emulator, attacked from loopback as issue #13 describes: foreign Host names (DNS rebinding), web
/// pages of other origins, well-known secrets, Host headers echoed into URLs, and a third user at a private conversation.
/// </summary>
public sealed class EmulatorSecurityTests(UsernameOnlyHostFactory factory) : IClassFixture<UsernameOnlyHostFactory>
{
    private readonly HttpClient _client = factory.CreateRealClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
        using var hub = await SendAsync(HttpMethod.Post, "/emulator/hub/negotiate?negotiateVersion=1", host, null);

        login.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        emulator.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        hub.StatusCode.Should().Be(HttpStatusCode.BadRequest);
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
    public async Task Hub_FromAForeignOrigin_IsRefused_FromTheHostsOwnPage_IsServed()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));

        using var foreign = await NegotiateAsync(alice.Token, "http://attacker.example");
        using var own = await NegotiateAsync(alice.Token, factory.BaseAddress.ToString().TrimEnd('/'));
        using var devServer = await NegotiateAsync(alice.Token, "http://localhost:5173");

        foreign.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await foreign.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetInt32().Should().Be(20403);
        own.StatusCode.Should().Be(HttpStatusCode.OK);
        devServer.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_GetsNoCorsPermission()
    {
        foreach (var path in new[] { "/login", "/emulator/v1/Conversations", "/emulator/hub/negotiate" })
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
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{wellKnown.AccountSid}:{wellKnown.AuthToken}")));

        using var response = await _client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var file = Path.Combine(factory.DataDirectory, EmulatorCredentials.FileName);
        ChatHostFactory.EmulatorCredentialsIn(factory.DataDirectory).Should().Be(factory.EmulatorCredentials);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task ThirdUser_CannotListJoinOrReadAPrivateConversation_ThroughTheHub_AndAliceIsNotTold()
    {
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
        var carol = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("carol"));
        using var started = await alice.PostAsync("/private-conversations", new { with = bob.Identity });
        var sid = (await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
        var joined = new ConcurrentQueue<JsonElement>();
        await using var alicesHub = await ConnectAsync(alice);
        alicesHub.On<JsonElement>("participantJoined", e => joined.Enqueue(e));
        await using var carolsHub = await ConnectAsync(carol);
        await alicesHub.InvokeAsync<int>("SendMessage", sid, "secret between A and B", Ct);

        var listed = await carolsHub.InvokeAsync<JsonElement>("GetJoinableConversations", Ct);
        var join = () => carolsHub.InvokeAsync<JsonElement>("Join", sid, Ct);
        var read = () => carolsHub.InvokeAsync<JsonElement>("GetMessages", sid, 10, null, Ct);
        var write = () => carolsHub.InvokeAsync<int>("SendMessage", sid, "carol was here", Ct);
        var members = () => carolsHub.InvokeAsync<JsonElement>("GetParticipants", sid, Ct);

        listed.EnumerateArray().Select(c => c.GetProperty("sid").GetString()).Should().NotContain(sid);
        listed.GetRawText().Should().NotContain(alice.Identity);
        await join.Should().ThrowAsync<HubException>().WithMessage("*20404*");
        await read.Should().ThrowAsync<HubException>().WithMessage("*50430*");
        await write.Should().ThrowAsync<HubException>().WithMessage("*50430*");
        await members.Should().ThrowAsync<HubException>().WithMessage("*50430*");
        // A message after Carol's tries: once Alice has it, anything they caused would have reached her first.
        var received = new TaskCompletionSource();
        alicesHub.On<JsonElement>("messageAdded", e =>
        {
            if (e.GetProperty("body").GetString() == "after carol")
            {
                received.TrySetResult();
            }
        });
        await alicesHub.InvokeAsync<int>("SendMessage", sid, "after carol", Ct);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        joined.Should().BeEmpty();
        var messages = await alicesHub.InvokeAsync<JsonElement>("GetMessages", sid, 10, null, Ct);
        messages.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("body").GetString())
            .Should().Equal("secret between A and B", "after carol");
        var participants = await alicesHub.InvokeAsync<JsonElement>("GetParticipants", sid, Ct);
        participants.EnumerateArray().Select(p => p.GetProperty("identity").GetString()).Should().BeEquivalentTo([alice.Identity, bob.Identity]);
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
            var credentials = factory.EmulatorCredentials;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
        }

        return await _client.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> NegotiateAsync(string token, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/emulator/hub/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Origin", origin);
        return await _client.SendAsync(request, Ct);
    }

    private async Task<HubConnection> ConnectAsync(SignedInUser user)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.BaseAddress, "/emulator/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
            .Build();
        await connection.StartAsync(Ct);
        // The hub has run OnConnectedAsync once a first call is answered.
        await connection.InvokeAsync<JsonElement>("GetSubscribedConversations", Ct);
        return connection;
    }
}
