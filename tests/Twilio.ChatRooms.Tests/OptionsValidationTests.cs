using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Tests;

public sealed class OptionsValidationTests
{
    private static readonly TwilioChatRoomsOptionsValidator Validator = new();

    [Fact]
    public void Validate_WellFormedOptions_Succeeds()
    {
        var options = new TwilioChatRoomsOptions();
        Fake.Options(options);

        Validator.Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_EveryFieldBad_NamesEveryFieldInOneMessage()
    {
        var options = new TwilioChatRoomsOptions
        {
            AccountSid = "AC123",
            ApiKeySid = "AK0123456789abcdef0123456789abcdef",
            ApiKeySecret = "short",
            ServiceSid = "CH0123456789abcdef0123456789abcdef",
            TokenLifetime = TimeSpan.FromHours(25),
            ProvisioningConcurrency = 0,
            BaseAddress = new Uri("ftp://example.com/"),
            ParticipantRoleName = " ",
        };

        var result = Validator.Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().ContainAll(
            "AccountSid", "ApiKeySid", "ApiKeySecret", "ServiceSid", "TokenLifetime", "ProvisioningConcurrency",
            "BaseAddress", "ParticipantRoleName");
    }

    [Theory]
    [InlineData("AC0123456789ABCDEF0123456789abcdeg")]
    [InlineData("AC0123456789abcdef0123456789abcde")]
    [InlineData("")]
    public void Validate_MalformedAccountSid_Fails(string sid)
    {
        var options = new TwilioChatRoomsOptions();
        Fake.Options(options);
        options.AccountSid = sid;

        Validator.Validate(null, options).FailureMessage.Should().Contain("AccountSid").And.NotContain("ApiKeySid");
    }

    [Fact]
    public void Validate_ZeroLifetimeAndNoServiceSid_OnlyLifetimeFails()
    {
        var options = new TwilioChatRoomsOptions();
        Fake.Options(options);
        options.ServiceSid = null;
        options.BaseAddress = null;
        options.TokenLifetime = TimeSpan.Zero;

        Validator.Validate(null, options).FailureMessage.Should().Contain("TokenLifetime").And.NotContain("ServiceSid");
    }

    [Fact]
    public void Validate_SecretDoesNotAppearInMessage()
    {
        var options = new TwilioChatRoomsOptions();
        Fake.Options(options);
        options.ApiKeySecret = "tiny-secret";
        options.AuthToken = "an-auth-token";

        Validator.Validate(null, options).FailureMessage.Should().NotContain("tiny-secret").And.NotContain("an-auth-token");
    }

    [Fact]
    public void AddTwilioChatRooms_BadOptions_ThrowOnFirstUse()
    {
        var services = new ServiceCollection();
        services.AddTwilioChatRooms(o => o.AccountSid = "nope");
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*AccountSid*ApiKeySid*ApiKeySecret*");
    }

    [Fact]
    public void AddTwilioChatRooms_Section_KeysWinAndTutorialVariablesFillTheRest()
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = Fake.AccountSid,
            ["Twilio:TokenLifetime"] = "00:30:00",
            ["TWILIO_ACCOUNT_SID"] = "AC99999999999999999999999999999999",
            ["TWILIO_AUTH_TOKEN"] = "token-from-env",
            ["TWILIO_API_KEY_SID"] = Fake.ApiKeySid,
            ["TWILIO_API_KEY_SECRET"] = Fake.ApiKeySecret,
            ["TWILIO_CONVERSATIONS_SERVICE_SID"] = Fake.ServiceSid,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(root);
        services.AddTwilioChatRooms(root.GetSection("Twilio"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value;

        options.AccountSid.Should().Be(Fake.AccountSid);
        options.AuthToken.Should().Be("token-from-env");
        options.ApiKeySid.Should().Be(Fake.ApiKeySid);
        options.ApiKeySecret.Should().Be(Fake.ApiKeySecret);
        options.ServiceSid.Should().Be(Fake.ServiceSid);
        options.TokenLifetime.Should().Be(TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void AddTwilioChatRooms_RootConfigurationWithoutDi_ReadsTutorialVariables()
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TWILIO_ACCOUNT_SID"] = Fake.AccountSid,
            ["TWILIO_API_KEY_SID"] = Fake.ApiKeySid,
            ["TWILIO_API_KEY_SECRET"] = Fake.ApiKeySecret,
        }).Build();
        var services = new ServiceCollection();
        services.AddTwilioChatRooms(root);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value;

        options.AccountSid.Should().Be(Fake.AccountSid);
        options.ServiceSid.Should().BeNull();
    }

    [Fact]
    public void AddTwilioChatRooms_UserRegistrationWins()
    {
        var services = new ServiceCollection();
        var mine = TimeProvider.System;
        services.AddSingleton<ITokenIssuer, MyIssuer>();
        services.AddTwilioChatRooms(Fake.Options);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ITokenIssuer>().Should().BeOfType<MyIssuer>();
        provider.GetRequiredService<IChatRoomAdmin>().Should().NotBeNull();
        provider.GetRequiredService<IParticipantProvisioner>().Should().NotBeNull();
    }

    private sealed class MyIssuer : ITokenIssuer
    {
        public Task<ChatAccessToken> IssueAsync(string identity, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ChatAccessToken> RefreshAsync(string currentToken, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ChatAccessToken> ValidateAsync(string token, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    [Fact]
    public void Validate_TokenLifetimeOverTwiliosMaximum_SaysTheMaximumAndTheValue()
    {
        var options = new TwilioChatRoomsOptions();
        Fake.Options(options);
        options.TokenLifetime = TimeSpan.FromDays(3650);

        Validator.Validate(null, options).FailureMessage.Should()
            .Contain("TokenLifetime must be more than 0 and at most 24 hours, Twilio's maximum").And.Contain("3650.00:00:00");
    }

    [Fact]
    public void Validate_ShortPrivateConversationKey_NamesIt()
    {
        var options = new TwilioChatRoomsOptions();
        Fake.Options(options);
        options.PrivateConversationKey = "too short";

        Validator.Validate(null, options).FailureMessage.Should().Contain("PrivateConversationKey, when set, must be at least 32 bytes long.");
    }
}
