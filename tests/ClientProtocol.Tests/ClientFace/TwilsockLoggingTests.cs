using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator;
using Twilio.Jwt.AccessToken;

namespace ClientProtocol.Tests.ClientFace;

/// <summary>A refused real-time request is one log line at Information or Warning, so no client can flood the error log.</summary>
public sealed class TwilsockLoggingTests
{
    [Fact]
    public async Task RefusedTokenRequestsAndFrames_AreLoggedOnceEach_BelowError_WithoutAStackTrace()
    {
        await using var app = await LoggedEmulator.StartAsync(Ct);
        var (logs, root, credentials) = (app.Logs, app.Root, app.Credentials);
        using var http = EmulatorClients.Raw(root, credentials);
        var service = (await http.GetFromJsonAsync<JsonElement>("v1/Configuration", Ct)).GetProperty("default_chat_service_sid").GetString();
        var token = new Token(credentials.AccountSid, credentials.ApiKeySid, credentials.ApiKeySecret, "carol",
            DateTime.UtcNow.AddHours(1), grants: [new ChatGrant { ServiceSid = service }]).ToJwt();
        var twilsock = ConversationsEmulatorServer.TwilsockUriFor(root);

        await using (var carol = await TwilsockTestClient.ConnectAsync(twilsock, token, Ct))
        {
            var forbidden = await carol.RequestAsync("POST", $"/Client/v2/Services/{service}/Conversations/CH{new string('0', 32)}/Messages", new JsonObject { ["body"] = "hi" }, Ct);
            var badSubscription = await carol.RequestAsync("POST", "/v4/Subscriptions",
                new JsonObject { ["action"] = 5, ["requests"] = new JsonArray(new JsonObject { ["object_sid"] = 7 }) }, Ct);
            await carol.SendRawAsync(Encoding.UTF8.GetBytes("not a twilsock frame"), Ct);
            var afterBadFrame = await carol.RequestAsync("GET", $"/Client/v2/Services/{service}/MyConversations", null, Ct);
            forbidden.HttpStatus.Should().Be(404);
            badSubscription.HttpStatus.Should().Be(400, "a malformed request is the client's error, not the emulator's");
            afterBadFrame.HttpStatus.Should().Be(200, "a dropped frame does not end the connection");
        }

        await using (var mallory = await TwilsockTestClient.ConnectAsync(twilsock, "not-a-token", Ct))
        {
            mallory.InitReply.StatusCode.Should().Be(401);
        }

        await app.DisposeAsync(); // stopped, so every log line is in

        var refusedRequests = logs.Entries.Where(e => e.Message.StartsWith("Refused client request", StringComparison.Ordinal)).ToList();
        refusedRequests.Should().HaveCount(2).And.OnlyContain(e => e.Level == LogLevel.Information && e.Message.Contains("of carol"));
        refusedRequests[0].Message.Should().Contain("404 20404");
        refusedRequests[1].Message.Should().Contain("/v4/Subscriptions").And.Contain("400");
        var droppedFrame = logs.Entries.Where(e => e.Message.StartsWith("twilsock frame dropped", StringComparison.Ordinal)).Should().ContainSingle().Subject;
        droppedFrame.Level.Should().Be(LogLevel.Information);
        var refusedToken = logs.Entries.Where(e => e.Message.StartsWith("twilsock init refused", StringComparison.Ordinal)).Should().ContainSingle().Subject;
        refusedToken.Level.Should().Be(LogLevel.Information);
        refusedToken.Message.Should().Contain("20101");
        logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Error, "a refusal is not an error");
        logs.Entries.Should().NotContain(e => e.Exception != null && (e.Level >= LogLevel.Information || e.Category.StartsWith("Twilio.", StringComparison.Ordinal)),
            "no refusal is logged with a stack trace");
        logs.Entries.Should().NotContain(e => e.Message.Contains(token, StringComparison.Ordinal), "a token is a secret");
    }
}
