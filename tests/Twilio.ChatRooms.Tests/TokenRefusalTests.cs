using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests;

/// <summary>Tokens that are correctly formed JWTs, or nearly, but must not open the chat (issue #13 §5).</summary>
public sealed class TokenRefusalTests
{
    public static TheoryData<string, string> ForeignTokens => new()
    {
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1)), "another-secret-another-secret-another"), "not signed with this API key" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), issuer: "SKffffffffffffffffffffffffffffffff"), Fake.ApiKeySecret), "not signed with this API key" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), subject: "ACffffffffffffffffffffffffffffffff"), Fake.ApiKeySecret), "another account" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload(null, TokenTests.Start.AddHours(1)), Fake.ApiKeySecret), "no identity" },
        { TestTokens.Sign("""{"alg":"HS256","typ":"JWT"}""", """{"iss":"SK0123456789abcdef0123456789abcdef","sub":"AC0123456789abcdef0123456789abcdef","grants":{"identity":"ivan"}}""", Fake.ApiKeySecret), "no expiry" },
        { TestTokens.WithoutSignature(TestTokens.Sign("""{"alg":"none","typ":"JWT"}""", TestTokens.Payload("ivan", TokenTests.Start.AddHours(1)), Fake.ApiKeySecret)), "malformed" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), grants: """{"identity":"ivan","chat":{"service_sid":"ISffffffffffffffffffffffffffffffff"}}"""), Fake.ApiKeySecret), "another conversation service" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), grants: """{"identity":"ivan"}"""), Fake.ApiKeySecret), "no chat grant" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), grants: """{"identity":"ivan","video":{}}"""), Fake.ApiKeySecret), "no chat grant" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(2), extra: $",\"nbf\":{TokenTests.Start.AddHours(1).ToUnixTimeSeconds()}"), Fake.ApiKeySecret), "not valid yet" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddYears(10)), Fake.ApiKeySecret), "longer than Twilio's maximum of 24 hours" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(23), extra: $",\"iat\":{TokenTests.Start.AddHours(-2).ToUnixTimeSeconds()}"), Fake.ApiKeySecret), "longer than Twilio's maximum of 24 hours" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), extra: ",\"nbf\":\"soon\""), Fake.ApiKeySecret), "malformed" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), extra: ",\"iat\":1e300"), Fake.ApiKeySecret), "malformed" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("ivan", TokenTests.Start.AddHours(1), extra: ",\"iat\":99999999999999"), Fake.ApiKeySecret), "iat is not a valid time" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("iv\u0001an", TokenTests.Start.AddHours(1)), Fake.ApiKeySecret), "not a valid identity" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload(new string('x', 5000), TokenTests.Start.AddHours(1)), Fake.ApiKeySecret), "not a valid identity" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("\u0430lice", TokenTests.Start.AddHours(1)), Fake.ApiKeySecret), "not a valid identity" },
        { TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("Ivan", TokenTests.Start.AddHours(1)), Fake.ApiKeySecret), "not in canonical form" },
        { "not-a-jwt", "malformed" },
        { "a.b.c", "malformed" },
        { "", "empty" },
        { "   ", "empty" },
    };

    [Theory]
    [MemberData(nameof(ForeignTokens))]
    public async Task Validate_TokenNotOurs_ThrowsUnauthorizedSayingWhy(string token, string reason)
    {
        var (provider, _, stub) = TokenTests.Create();
        await using var _p = provider;

        var act = () => provider.GetRequiredService<ITokenIssuer>().ValidateAsync(token, TestContext.Current.CancellationToken);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.Unauthorized);
        e.Message.Should().StartWith("The access token was refused: ").And.Contain(reason);
        stub.Count.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(ForeignTokens))]
    public async Task Refresh_TokenNotOurs_ThrowsUnauthorizedAndIssuesNothing(string token, string reason)
    {
        var (provider, _, stub) = TokenTests.Create();
        await using var _p = provider;

        var act = () => provider.GetRequiredService<ITokenIssuer>().RefreshAsync(token, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Message.Should().Contain(reason);
        stub.Count.Should().Be(0);
    }

}

/// <summary>Hand-made tokens, signed like Twilio's, from raw JSON.</summary>
internal static class TestTokens
{
    /// <summary>A JWT signed like Twilio's with <paramref name="secret"/>, from raw JSON.</summary>
    public static string Sign(string headerJson, string payloadJson, string secret)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var unsigned = Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Encode(Encoding.UTF8.GetBytes(payloadJson));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return unsigned + "." + Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(unsigned)));
    }

    public static string WithoutSignature(string jwt) => jwt[..(jwt.LastIndexOf('.') + 1)];

    public static string Payload(
        string? identity,
        DateTimeOffset expires,
        string issuer = Fake.ApiKeySid,
        string subject = Fake.AccountSid,
        string? grants = null,
        string extra = "")
    {
        grants ??= identity is null
            ? $$$"""{"chat":{"service_sid":"{{{Fake.ServiceSid}}}"}}"""
            : $$$"""{"identity":{{{JsonSerializer.Serialize(identity)}}},"chat":{"service_sid":"{{{Fake.ServiceSid}}}"}}""";
        return $$"""{"jti":"{{issuer}}-1","iss":"{{issuer}}","sub":"{{subject}}","exp":{{expires.ToUnixTimeSeconds()}}{{extra}},"grants":{{grants}}}""";
    }

    public const string Hs256Header = """{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}""";

}
