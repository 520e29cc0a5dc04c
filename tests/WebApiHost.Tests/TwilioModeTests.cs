using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary>
/// With Twilio credentials configured the host uses "Twilio" and mounts no emulator. Here "Twilio" is a standalone
/// emulator at another address, standing in for conversations.twilio.com: only the base address differs.
/// </summary>
public sealed class TwilioModeTests : IAsyncLifetime
{
    private ConversationsEmulatorServer _twilio = null!;

    public async ValueTask InitializeAsync() => _twilio = await ConversationsEmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public async Task Login_WithTwilioSection_UsesTwilioAndMountsNoEmulator()
    {
        var c = _twilio.Credentials;
        await using var host = new ChatHostFactory
        {
            UsernameOnly = true,
            TwilioSettings = new Dictionary<string, string>
            {
                ["Twilio:AccountSid"] = c.AccountSid,
                ["Twilio:AuthToken"] = c.AuthToken,
                ["Twilio:ApiKeySid"] = c.ApiKeySid,
                ["Twilio:ApiKeySecret"] = c.ApiKeySecret,
                ["Twilio:BaseAddress"] = _twilio.BaseAddress.ToString(),
            },
        };

        await AssertTwilioModeAsync(host);
    }

    [Fact]
    public async Task Login_WithTutorialDotEnvFile_UsesTwilio()
    {
        var c = _twilio.Credentials;
        await using var host = new ChatHostFactory
        {
            UsernameOnly = true,
            DotEnv = $"TWILIO_ACCOUNT_SID={c.AccountSid}\nTWILIO_AUTH_TOKEN={c.AuthToken}\nTWILIO_API_KEY_SID={c.ApiKeySid}\nTWILIO_API_KEY_SECRET={c.ApiKeySecret}\n",
            TwilioSettings = new Dictionary<string, string> { ["Twilio:BaseAddress"] = _twilio.BaseAddress.ToString() },
        };

        await AssertTwilioModeAsync(host);
    }

    private static async Task AssertTwilioModeAsync(ChatHostFactory host)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = host.CreateRealClient();
        // As a Twilio user would with the admin console: the role once, then a room.
        await host.Services.GetRequiredService<IParticipantProvisioner>().EnsureParticipantRoleAsync(ct);
        var room = "twilio-room-" + Guid.NewGuid().ToString("N")[..6];
        await host.Services.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync(room, ct);

        using var browser = new HostSession(host);
        var response = await browser.PostAsync("/login", new { username = "tw-" + Guid.NewGuid().ToString("N")[..6] });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        body.GetProperty("backend").GetString().Should().Be("twilio");
        body.GetProperty("chatClientOptions").EnumerateObject().Should().BeEmpty("on Twilio the SDK keeps its own addresses");
        body.GetProperty("chatrooms").EnumerateArray().Select(r => r[0].GetString()).Should().Contain(room).And.NotContain("general", "no starter rooms are made on Twilio");
        (await client.GetAsync("/emulator/v1/Configuration", ct)).StatusCode.Should().Be(HttpStatusCode.NotFound, "no emulator is mounted");
        var health = await client.GetFromJsonAsync<JsonElement>("/health", ct);
        health.GetProperty("backend").GetString().Should().Be("twilio");
    }
}
