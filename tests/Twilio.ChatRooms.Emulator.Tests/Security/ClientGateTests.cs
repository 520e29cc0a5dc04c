using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.TestSupport;

namespace Twilio.ChatRooms.Emulator.Tests.Security;

/// <summary>Who may reach the emulator at all: loopback clients, pages of loopback origins, URLs from its own address.</summary>
public sealed class ClientGateTests
{
    [Fact]
    public async Task RemoteClient_IsRefused403_AndNothingChanged()
    {
        var address = NetworkAddresses.NonLoopback();
        await using var app = await StartOnAsync(address, allowRemote: false);
        var (remote, local, credentials) = Clients(app, address);

        using var refused = await remote.PostAsync("v1/Conversations", Form("UniqueName", "from-afar"), Ct);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var twilsock = await remote.GetAsync("twilsock", Ct);
        var upgrade = await WebSocketUpgradeStatusAsync(new Uri(remote.BaseAddress!, "twilsock"), origin: null);
        var listed = await local.GetFromJsonAsync<JsonElement>("v1/Conversations", Ct);

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        body.GetProperty("code").GetInt32().Should().Be(20403);
        body.GetProperty("status").GetInt32().Should().Be(403);
        body.GetProperty("message").GetString().Should().Contain("loopback clients only").And.Contain("AllowRemoteClients");
        twilsock.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        upgrade.Should().Be(HttpStatusCode.Forbidden, "a client the emulator does not serve gets no websocket to send a token on");
        listed.GetProperty("conversations").GetArrayLength().Should().Be(0);
        credentials.Should().NotBe(EmulatorCredentials.Development);
    }

    [Fact]
    public async Task RemoteClient_WhenAllowed_IsServed()
    {
        var address = NetworkAddresses.NonLoopback();
        await using var app = await StartOnAsync(address, allowRemote: true);
        var (remote, _, _) = Clients(app, address);

        using var created = await remote.PostAsync("v1/Conversations", Form("UniqueName", "from-afar"), Ct);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AllowRemoteClients_WithWellKnownCredentials_DoesNotStart()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddConversationsEmulator(o =>
        {
            o.Credentials = EmulatorCredentials.Development;
            o.AllowRemoteClients = true;
        });
        await using var app = builder.Build();
        app.MapConversationsEmulator();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Ct));

        refused.Message.Should().Contain("well-known");
    }

    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost.evil.example:5000", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:5173", HttpStatusCode.SwitchingProtocols)]
    [InlineData("http://127.0.0.1:5000", HttpStatusCode.SwitchingProtocols)]
    [InlineData("http://[::1]:8080", HttpStatusCode.SwitchingProtocols)]
    [InlineData("https://chat.example.org", HttpStatusCode.SwitchingProtocols)]
    public async Task TwilsockUpgrade_ChecksTheOrigin(string origin, HttpStatusCode expected)
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.AllowedOrigins.Add("https://chat.example.org"), Ct);
        var uri = new Uri($"{server.BaseAddress}/twilsock");

        var upgrade = await WebSocketUpgradeStatusAsync(uri, origin);

        upgrade.Should().Be(expected);
        if (expected == HttpStatusCode.Forbidden)
        {
            // The same gate answers a plain request with Twilio's error body, naming the origin.
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Add("Origin", origin);
            using var response = await http.SendAsync(request, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            body.GetProperty("code").GetInt32().Should().Be(20403);
            body.GetProperty("message").GetString().Should().Contain(origin);
        }
    }

    [Fact]
    public async Task Urls_ComeFromTheEmulatorsAddress_NotTheHostHeader()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);

        var (status, body) = await RawHttp.SendAsync(server.BaseAddress, "POST", server.BaseAddress.AbsolutePath + "/v1/Conversations",
            server.Credentials, "UniqueName=rebound", host: "attacker.example:80", cancellationToken: Ct);
        var (_, list) = await RawHttp.SendAsync(server.BaseAddress, "GET", server.BaseAddress.AbsolutePath + "/v1/Conversations?PageSize=1",
            server.Credentials, host: "attacker.example", cancellationToken: Ct);

        status.Should().Be(201);
        body!.Value.GetProperty("url").GetString().Should().StartWith(server.BaseAddress + "/v1/Conversations/CH");
        list!.Value.GetProperty("meta").GetProperty("url").GetString().Should().StartWith(server.BaseAddress + "/v1/Conversations?");
        list.Value.GetRawText().Should().NotContain("attacker");
    }

    [Fact]
    public async Task Urls_UseTheConfiguredPublicAddress()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.PublicAddress = new Uri("http://localhost:5000"), Ct);
        using var http = EmulatorClients.Raw(server);

        var list = await http.GetFromJsonAsync<JsonElement>("v1/Conversations", Ct);

        list.GetProperty("meta").GetProperty("first_page_url").GetString().Should().Be("http://localhost:5000/emulator/v1/Conversations?PageSize=50&Page=0");
    }

    /// <summary>The HTTP status a websocket upgrade to <paramref name="uri"/> gets (101 when it opens).</summary>
    private static async Task<HttpStatusCode> WebSocketUpgradeStatusAsync(Uri uri, string? origin)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var ws = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(ws, Ct);
            await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, Ct);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }


    private static async Task<WebApplication> StartOnAsync(IPAddress address, bool allowRemote)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:0", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddConversationsEmulator(o => o.AllowRemoteClients = allowRemote);
        var app = builder.Build();
        app.MapConversationsEmulator();
        await app.StartAsync(Ct);
        return app;
    }

    /// <summary>A client that reaches the emulator from a non-loopback address, one from loopback, and the credentials.</summary>
    private static (HttpClient Remote, HttpClient Local, EmulatorCredentials Credentials) Clients(WebApplication app, IPAddress address)
    {
        var credentials = app.Services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpClient Client(string root) => EmulatorClients.Raw(new Uri(root.TrimEnd('/') + "/emulator"), credentials);

        return (Client(addresses.First(a => a.Contains(address.ToString(), StringComparison.Ordinal))),
            Client(addresses.First(a => a.Contains("127.0.0.1", StringComparison.Ordinal))), credentials);
    }

    private static FormUrlEncodedContent Form(string key, string value) => new([new(key, value)]);
}
