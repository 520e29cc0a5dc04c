using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests;

public sealed class TokenTests
{
    internal static readonly DateTimeOffset Start = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    internal static (ServiceProvider Provider, ManualTimeProvider Clock, StubHandler Stub) Create(Action<TwilioChatRoomsOptions>? configure = null)
    {
        var clock = new ManualTimeProvider(Start);
        var stub = new StubHandler();
        return (Fake.Services(stub, configure, clock), clock, stub);
    }

    internal static (JsonElement Header, JsonElement Payload) Decode(string jwt, string secret)
    {
        var parts = jwt.Split('.');
        parts.Should().HaveCount(3);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signature = hmac.ComputeHash(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Base64UrlDecode(parts[2]).Should().Equal(signature, "the token is signed with the API key secret");
        return (JsonDocument.Parse(Base64UrlDecode(parts[0])).RootElement, JsonDocument.Parse(Base64UrlDecode(parts[1])).RootElement);
    }

    private static byte[] Base64UrlDecode(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    [Fact]
    public async Task Issue_Identity_HasTheSameHeaderAndClaimsAsTheTwilioSdksToken()
    {
        var (provider, _, _) = Create();
        await using var _p = provider;
        var expires = Start.AddMinutes(10); // the default lifetime

        var ours = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("alice", TestContext.Current.CancellationToken);
        var sdks = new Twilio.Jwt.AccessToken.Token(Fake.AccountSid, Fake.ApiKeySid, Fake.ApiKeySecret, "alice",
            expiration: expires.UtcDateTime, grants: [new Twilio.Jwt.AccessToken.ChatGrant { ServiceSid = Fake.ServiceSid }]).ToJwt();

        var (ourHeader, ourPayload) = Decode(ours.Token, Fake.ApiKeySecret);
        var (sdkHeader, sdkPayload) = Decode(sdks, Fake.ApiKeySecret);
        Claims(ourHeader).Should().BeEquivalentTo(Claims(sdkHeader));
        // jti is "<API key>-<issue time in seconds>": the SDK reads the wall clock, we read the TimeProvider.
        Claims(ourPayload).Where(c => c.Key != "jti").Should().BeEquivalentTo(Claims(sdkPayload).Where(c => c.Key != "jti"));
        ourPayload.GetProperty("jti").GetString().Should().Be($"{Fake.ApiKeySid}-{Start.ToUnixTimeSeconds()}");
    }

    /// <summary>A JSON object's members as name and raw JSON, so nested objects compare by content, not by key order.</summary>
    private static Dictionary<string, string> Claims(JsonElement json)
        => json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Object
            ? string.Join(",", Claims(p.Value).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "=" + c.Value))
            : p.Value.GetRawText());

    [Fact]
    public async Task Issue_Identity_TokenCarriesTwilioClaimsAndChatGrant()
    {
        var (provider, _, stub) = Create();
        await using var _p = provider;

        var token = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("alice", TestContext.Current.CancellationToken);

        var (header, payload) = Decode(token.Token, Fake.ApiKeySecret);
        header.GetProperty("alg").GetString().Should().Be("HS256");
        header.GetProperty("cty").GetString().Should().Be("twilio-fpa;v=1");
        payload.GetProperty("iss").GetString().Should().Be(Fake.ApiKeySid);
        payload.GetProperty("sub").GetString().Should().Be(Fake.AccountSid);
        payload.GetProperty("exp").GetInt64().Should().Be(Start.AddMinutes(10).ToUnixTimeSeconds(), "the default lifetime is 10 minutes");
        payload.GetProperty("grants").GetProperty("identity").GetString().Should().Be("alice");
        payload.GetProperty("grants").GetProperty("chat").GetProperty("service_sid").GetString().Should().Be(Fake.ServiceSid);
        token.Identity.Should().Be("alice");
        token.ExpiresAt.Should().Be(Start.AddMinutes(10));
        stub.Count.Should().Be(0, "the service SID comes from the options");
    }

    [Fact]
    public async Task Issue_CustomLifetime_SetsExpiry()
    {
        var (provider, _, _) = Create(o => o.TokenLifetime = TimeSpan.FromMinutes(5));
        await using var _p = provider;

        var token = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("bob", TestContext.Current.CancellationToken);

        token.ExpiresAt.Should().Be(Start.AddMinutes(5));
        Decode(token.Token, Fake.ApiKeySecret).Payload.GetProperty("exp").GetInt64().Should().Be(Start.AddMinutes(5).ToUnixTimeSeconds());
    }

    [Fact]
    public void ChatAccessToken_ToString_HidesTheToken()
    {
        new ChatAccessToken("secret.jwt.value", "alice", Start).ToString().Should().NotContain("secret.jwt.value").And.Contain("alice");
    }

    [Fact]
    public async Task Refresh_ValidToken_IssuesNewTokenForSameIdentity()
    {
        var (provider, clock, _) = Create();
        await using var _p = provider;
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var first = await issuer.IssueAsync("carol", TestContext.Current.CancellationToken);
        clock.Now = Start.AddMinutes(8);

        var renewed = await issuer.RefreshAsync(first.Token, TestContext.Current.CancellationToken);

        renewed.Identity.Should().Be("carol");
        renewed.ExpiresAt.Should().Be(Start.AddMinutes(18));
        Decode(renewed.Token, Fake.ApiKeySecret).Payload.GetProperty("grants").GetProperty("identity").GetString().Should().Be("carol");
    }

    [Fact]
    public async Task Refresh_ExpiredToken_ThrowsUnauthorized()
    {
        var (provider, clock, _) = Create();
        await using var _p = provider;
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var first = await issuer.IssueAsync("dave", TestContext.Current.CancellationToken);
        clock.Now = Start.AddHours(2);

        var act = () => issuer.RefreshAsync(first.Token, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.Unauthorized);
    }

    [Fact]
    public async Task Refresh_TokenSignedWithAnotherSecret_ThrowsUnauthorized()
    {
        var (other, _, _) = Create(o => o.ApiKeySecret = "another-secret-another-secret-another");
        await using var _o = other;
        var foreign = await other.GetRequiredService<ITokenIssuer>().IssueAsync("eve", TestContext.Current.CancellationToken);
        var (provider, _, _) = Create();
        await using var _p = provider;

        var act = () => provider.GetRequiredService<ITokenIssuer>().RefreshAsync(foreign.Token, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.Unauthorized);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Refresh_Garbage_ThrowsUnauthorized(string garbage)
    {
        var (provider, _, _) = Create();
        await using var _p = provider;

        var act = () => provider.GetRequiredService<ITokenIssuer>().RefreshAsync(garbage, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.Unauthorized);
    }

    [Fact]
    public async Task Validate_IssuedToken_ReturnsIdentityAndExpiry()
    {
        var (provider, clock, stub) = Create();
        await using var _p = provider;
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var issued = await issuer.IssueAsync("grace", TestContext.Current.CancellationToken);
        clock.Now = Start.AddMinutes(9);

        var validated = await issuer.ValidateAsync(issued.Token, TestContext.Current.CancellationToken);

        validated.Should().Be(issued);
        stub.Count.Should().Be(0, "validation sends no request");
    }

    [Fact]
    public async Task Validate_AtExpiry_ThrowsUnauthorizedSayingExpired()
    {
        var (provider, clock, _) = Create();
        await using var _p = provider;
        var issuer = provider.GetRequiredService<ITokenIssuer>();
        var issued = await issuer.IssueAsync("heidi", TestContext.Current.CancellationToken);
        clock.Now = issued.ExpiresAt;

        var act = () => issuer.ValidateAsync(issued.Token, TestContext.Current.CancellationToken);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.Unauthorized);
        e.Message.Should().Contain("expired");
    }

    [Fact]
    public async Task Validate_TokenOf24HoursWithIatAndNbf_IsAccepted()
    {
        var (provider, clock, _) = Create();
        await using var _p = provider;
        var token = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("judy", Start.AddHours(24),
            extra: $",\"iat\":{Start.ToUnixTimeSeconds()},\"nbf\":{Start.ToUnixTimeSeconds()}"), Fake.ApiKeySecret);
        clock.Now = Start.AddHours(1);

        var validated = await provider.GetRequiredService<ITokenIssuer>().ValidateAsync(token, TestContext.Current.CancellationToken);

        validated.ExpiresAt.Should().Be(Start.AddHours(24));
    }

    [Fact]
    public async Task Validate_HandSignedTokenLikeTwilios_IsAccepted()
    {
        var (provider, _, _) = Create();
        await using var _p = provider;
        var token = TestTokens.Sign(TestTokens.Hs256Header, TestTokens.Payload("judy", Start.AddMinutes(30)), Fake.ApiKeySecret);

        var validated = await provider.GetRequiredService<ITokenIssuer>().ValidateAsync(token, TestContext.Current.CancellationToken);

        validated.Should().Be(new ChatAccessToken(token, "judy", Start.AddMinutes(30)));
    }

    [Fact]
    public async Task Validate_Null_ThrowsArgumentNullException()
    {
        var (provider, _, _) = Create();
        await using var _p = provider;

        var act = () => provider.GetRequiredService<ITokenIssuer>().ValidateAsync(null!, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("token");
    }

    [Fact]
    public async Task Validate_Cancelled_ThrowsOperationCanceled()
    {
        var (provider, _, _) = Create();
        await using var _p = provider;
        var issued = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("kim", TestContext.Current.CancellationToken);

        var act = () => provider.GetRequiredService<ITokenIssuer>().ValidateAsync(issued.Token, new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
