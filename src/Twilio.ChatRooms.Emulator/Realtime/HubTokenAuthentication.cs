using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>A validated Twilio access token.</summary>
internal sealed record HubToken(string Identity, string ServiceSid, DateTimeOffset Expires);

/// <summary>Validates Twilio access tokens: HS256 with the API key secret, issued by the API key, with a chat grant.</summary>
internal sealed class HubTokenValidator(IOptions<ConversationsEmulatorOptions> options, ServiceRules services, TimeProvider time)
{
    public const string ServiceSidClaim = "twilio:chat_service_sid";

    public async Task<HubToken?> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        var credentials = options.Value.Credentials!;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = credentials.ApiKeySid,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && e > time.GetUtcNow().UtcDateTime && (notBefore is null || notBefore <= time.GetUtcNow().UtcDateTime.AddMinutes(1)),
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(credentials.ApiKeySecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            if (!payload.RootElement.TryGetProperty("grants", out var grants)
                || grants.ValueKind != JsonValueKind.Object
                || !grants.TryGetProperty("identity", out var identityElement)
                || identityElement.GetString() is not { Length: > 0 } identity
                || !grants.TryGetProperty("chat", out var chat)
                || chat.ValueKind != JsonValueKind.Object
                || !chat.TryGetProperty("service_sid", out var serviceElement)
                || serviceElement.GetString() is not { Length: > 0 } serviceSid)
            {
                return null;
            }

            services.Get(serviceSid);
            return new HubToken(identity, serviceSid, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        }
        catch (Exception e) when (e is JsonException or EmulatorException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Authenticates hub requests with a Twilio access token from <c>access_token</c> or <c>Authorization: Bearer</c>.</summary>
internal sealed class HubTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, HubTokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ConversationsEmulatorHub";
    public const string PolicyName = "ConversationsEmulatorHub";

    /// <summary>
    /// A request without a valid token is challenged before the hub's endpoint runs: a client the emulator does not
    /// serve at all gets the same 403 as everywhere else (<see cref="ClientGate"/>), not an invitation to authenticate.
    /// </summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ClientGate.Refusal(Context, checkOrigin: true) is { } refusal ? ClientGate.RefuseAsync(Context, refusal) : base.HandleChallengeAsync(properties);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = Request.Query["access_token"];
        if (string.IsNullOrEmpty(token))
        {
            var header = Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = header["Bearer ".Length..].Trim();
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var validated = await validator.ValidateAsync(token).ConfigureAwait(false);
        if (validated is null)
        {
            return AuthenticateResult.Fail("Invalid access token");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, validated.Identity), new Claim(ClaimTypes.Name, validated.Identity), new Claim(HubTokenValidator.ServiceSidClaim, validated.ServiceSid)],
            SchemeName));
        var properties = new AuthenticationProperties { ExpiresUtc = validated.Expires };
        return AuthenticateResult.Success(new AuthenticationTicket(principal, properties, SchemeName));
    }
}
