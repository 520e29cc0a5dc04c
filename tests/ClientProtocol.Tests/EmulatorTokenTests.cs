using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Twilio.ChatRooms.Emulator;

namespace ClientProtocol.Tests;

/// <summary>
/// The emulator's token check as Twilio's own twilsock client meets it: a token the emulator must refuse (#13 §5) leaves
/// the SDK denied with Twilio's access-token error code for the refusal (20104 for an expired one, which the SDK also
/// reports as tokenExpired; 20101 where Twilio documents nothing more specific), and a good token connects. Tokens are
/// signed with the emulator's API key secret unless the case is about the signature.
/// </summary>
public sealed class EmulatorTokenTests
{
    [Theory]
    [InlineData("valid", 0)]
    [InlineData("signed with another secret", 20107)]
    [InlineData("issued by another API key", 20103)]
    [InlineData("for another account", 20103)]
    [InlineData("without exp", 20101)]
    [InlineData("expired", 20104)]
    [InlineData("nbf in the future", 20105)]
    [InlineData("exp 25 hours ahead", 20157)]
    [InlineData("exp - iat over 24 hours", 20157)]
    [InlineData("without a chat grant", 20106)]
    [InlineData("for an unknown service", 20106)]
    [InlineData("empty identity", 20106)]
    [InlineData("identity of 257 characters", 20106)]
    [InlineData("identity with a control character", 20106)]
    [InlineData("not a JWT", 20101)]
    public async Task Init_TokenTheEmulatorMustRefuse_LeavesTheSdkDenied(string token, int errorCode)
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var uri = server.TwilsockUri;

        var events = await NodeProbe.RunAsync("twilsock-probe.mjs", ["verdict", uri.ToString(), Make(server, token)], Ct);

        string Dump() => string.Join('\n', events);
        if (errorCode == 0)
        {
            events.Should().Contain(e => (string)e["event"]! == "state" && (string)e["state"]! == "connected", Dump());
            events.Should().NotContain(e => (string)e["event"]! == "connectionError", Dump());
            return;
        }

        events.Should().Contain(e => (string)e["event"]! == "state" && (string)e["state"]! == "denied", Dump());
        events.Should().NotContain(e => (string)e["event"]! == "state" && (string)e["state"]! == "connected", Dump());
        var error = events.First(e => (string)e["event"]! == "connectionError");
        error["httpStatusCode"]!.GetValue<int>().Should().Be(401);
        error["errorCode"]!.GetValue<int>().Should().Be(errorCode);
        events.Any(e => (string)e["event"]! == "tokenExpired").Should().Be(errorCode == 20104);
    }

    /// <summary>The token of a case: Twilio's claims (iss, sub, exp, grants, header cty), with the one thing the case names changed.</summary>
    private static string Make(ConversationsEmulatorServer server, string token)
    {
        var c = server.Credentials;
        var now = DateTimeOffset.UtcNow;
        var secret = token == "signed with another secret" ? "another-secret-that-is-long-enough-0000000" : c.ApiKeySecret;
        var identity = token switch
        {
            "empty identity" => "",
            "identity of 257 characters" => new string('a', 257),
            "identity with a control character" => "ali\u0007ce",
            _ => "alice",
        };
        var grants = new JsonObject { ["identity"] = identity };
        if (token != "without a chat grant")
        {
            grants["chat"] = new JsonObject { ["service_sid"] = token == "for an unknown service" ? "IS" + new string('1', 32) : server.DefaultServiceSid };
        }

        var payload = new JsonObject
        {
            ["jti"] = $"{c.ApiKeySid}-{now.ToUnixTimeSeconds()}",
            ["iss"] = token == "issued by another API key" ? "SK" + new string('2', 32) : c.ApiKeySid,
            ["sub"] = token == "for another account" ? "AC" + new string('3', 32) : c.AccountSid,
            ["grants"] = grants,
        };
        var expires = token switch
        {
            "expired" => now.AddMinutes(-1),
            "exp 25 hours ahead" => now.AddHours(25),
            "exp - iat over 24 hours" => now.AddHours(23),
            _ => now.AddHours(1),
        };
        if (token != "without exp")
        {
            payload["exp"] = expires.ToUnixTimeSeconds();
        }

        if (token == "exp - iat over 24 hours")
        {
            payload["iat"] = now.AddHours(-2).ToUnixTimeSeconds();
        }

        if (token == "nbf in the future")
        {
            payload["nbf"] = now.AddMinutes(10).ToUnixTimeSeconds();
        }

        if (token == "not a JWT")
        {
            return "not-a-jwt";
        }

        var signing = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }
            .CreateToken(payload.ToJsonString(), signing, new Dictionary<string, object> { ["cty"] = "twilio-fpa;v=1" });
    }
}
