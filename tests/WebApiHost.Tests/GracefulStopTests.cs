using System.Diagnostics;
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
        using var host = await HostProcess.StartAsync(data.Path);
        using var emulator = host.Emulator();
        var service = (await emulator.GetFromJsonAsync<JsonElement>("v1/Configuration", Ct)).GetProperty("default_chat_service_sid").GetString();
        var credentials = EmulatorClients.CredentialsIn(data.Path);
        var token = new Token(credentials.AccountSid, credentials.ApiKeySid, credentials.ApiKeySecret, "alice",
            DateTime.UtcNow.AddMinutes(10), grants: [new ChatGrant { ServiceSid = service }]).ToJwt();
        var twilsock = ConversationsEmulatorServer.TwilsockUriFor(new Uri(host.Http.BaseAddress!, "/emulator"));
        var stopping = new Stopwatch();
        await using (var client = await TwilsockTestClient.ConnectAsync(twilsock, token, Ct))
        {
            client.InitReply.StatusCode.Should().Be(200);

            stopping.Start();
            host.Terminate();

            var close = await client.Closed.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            close.Should().NotBeNull("a stopping host moves its chat clients off, not by cutting their sockets");
            close!.StatusCode.Should().Be(308, "offload: the SDK reconnects at once, to the host once it is back");
        } // the client closes its side, as the SDK does after a close frame

        var exit = await host.ExitAsync();

        TestContext.Current.TestOutputHelper?.WriteLine($"stopped {stopping.Elapsed.TotalSeconds:F1} s after SIGTERM");
        exit.Should().Be(0, "a graceful stop");
        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the stop does not wait out the host's 30 s shutdown timeout for the connection");
    }
}
