using System.Net.Http.Json;
using System.Text.Json;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using Twilio.Jwt.AccessToken;

namespace WebApiHost.Tests;

/// <summary>The real host stops at once with chat clients connected, moving them off as Twilio's edge does.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Sigterm_WithAChatClientConnected_OffloadsItAndStopsWellBeforeTheShutdownTimeout()
    {
        using var data = new TemporaryDirectory("graceful-stop-");
        // A shutdown timeout of ten minutes, far past the minute ExitAsync waits: a stop that waited for the connection
        // to time out fails the test, however busy the machine, and a stop that does not wait passes.
        using var host = await HostProcess.StartAsync(data.Path, new Dictionary<string, string> { ["DOTNET_shutdownTimeoutSeconds"] = "600" });
        using var emulator = host.Emulator();
        var service = (await emulator.GetFromJsonAsync<JsonElement>("v1/Configuration", Ct)).GetProperty("default_chat_service_sid").GetString();
        var credentials = EmulatorClients.CredentialsIn(data.Path);
        var token = new Token(credentials.AccountSid, credentials.ApiKeySid, credentials.ApiKeySecret, "alice",
            DateTime.UtcNow.AddMinutes(10), grants: [new ChatGrant { ServiceSid = service }]).ToJwt();
        var twilsock = ConversationsEmulatorServer.TwilsockUriFor(new Uri(host.Http.BaseAddress!, "/emulator"));
        await using (var client = await TwilsockTestClient.ConnectAsync(twilsock, token, Ct))
        {
            client.InitReply.StatusCode.Should().Be(200);

            host.Terminate();

            var close = await client.Closed.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            close.Should().NotBeNull("a stopping host moves its chat clients off, not by cutting their sockets");
            close!.StatusCode.Should().Be(308, "offload: the SDK reconnects at once, to the host once it is back");
        } // the client closes its side, as the SDK does after a close frame

        var exit = await host.ExitAsync();

        exit.Should().Be(0, "a graceful stop, which did not wait out the shutdown timeout for the connection");
    }
}
