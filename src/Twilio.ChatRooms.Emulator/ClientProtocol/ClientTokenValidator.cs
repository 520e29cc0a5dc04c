using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>
/// The emulator's one access-token check, for the client face's <c>init</c> and <c>update</c> frames. It refuses what
/// Twilio and Twilio.ChatRooms' own <c>ITokenIssuer.ValidateAsync</c> refuse: a token not signed (HS256) with the
/// API key secret or not issued by the API key (<c>iss</c>), for another account (<c>sub</c>), without an expiry,
/// expired, not valid yet (<c>nbf</c>), living longer than Twilio's 24 hours, without a chat grant, for an unknown
/// service, or with an identity that is empty, longer than 256 characters or holds control characters. An expired
/// token answers 20104, which the SDK turns into <c>tokenExpired</c>; every other refusal 20101 with its reason.
/// </summary>
internal sealed class ClientTokenValidator(IOptions<ConversationsEmulatorOptions> options, ServiceRules services, TimeProvider time)
    : ITwilsockAuthenticator
{
    /// <summary>Twilio's longest token lifetime, measured from <c>iat</c> or <c>nbf</c> (or now, with neither).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>How far in the future <c>nbf</c> may be: none, as in the library's check (one clock on one machine).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.Zero;

    public async ValueTask<TwilsockAuthentication> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return Invalid("the token is empty");
        }

        var credentials = options.Value.Credentials!;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = credentials.ApiKeySid,
            ValidateIssuer = true,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the emulator's TimeProvider, with the reason
            RequireExpirationTime = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(credentials.ApiKeySecret)),
        };

        TokenValidationResult result;
        try
        {
            result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return Invalid("the token is malformed");
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return Invalid("the token is malformed, or not signed and issued by this emulator's API key");
        }

        if (!string.Equals(jwt.Subject, credentials.AccountSid, StringComparison.Ordinal))
        {
            return Invalid("the token was issued for another account");
        }

        var now = time.GetUtcNow();
        if (Time(jwt, "exp") is not { } expires)
        {
            return Invalid("the token has no expiry");
        }

        if (expires <= now)
        {
            return TwilsockAuthentication.Refused(TwilsockAuthentication.ExpiredToken, "Access Token expired or expiration date invalid");
        }

        var notBefore = Time(jwt, "nbf");
        if (notBefore > now + ClockSkew)
        {
            return Invalid("the token is not valid yet (nbf is in the future)");
        }

        var validSince = new[] { notBefore, Time(jwt, "iat"), now }.Where(t => t is not null).Min()!.Value;
        if (expires - validSince > MaxLifetime)
        {
            return Invalid("the token lives longer than Twilio's maximum of 24 hours");
        }

        if (ReadGrants(jwt) is not { } grants)
        {
            return Invalid("the token's grants cannot be read");
        }

        var (identity, serviceSid) = grants;
        if (serviceSid is null)
        {
            return Invalid("the token has no chat grant");
        }

        if (IdentityProblem(identity) is { } problem)
        {
            return Invalid(problem);
        }

        try
        {
            services.Get(serviceSid);
        }
        catch (EmulatorException)
        {
            return Invalid("the token's chat grant is for an unknown conversation service");
        }

        return TwilsockAuthentication.Accepted(new TwilsockPrincipal(identity!, serviceSid, expires));
    }

    private static TwilsockAuthentication Invalid(string reason) =>
        TwilsockAuthentication.Refused(TwilsockAuthentication.InvalidToken, "Invalid Access Token: " + reason);

    private static string? IdentityProblem(string? identity) => identity switch
    {
        null or "" => "the token has no identity",
        { Length: > TwilioLimits.MaxIdentity } => $"the token's identity is longer than {TwilioLimits.MaxIdentity} characters",
        _ when identity.Any(char.IsControl) => "the token's identity holds control characters",
        _ => null,
    };

    private static DateTimeOffset? Time(JsonWebToken jwt, string claim) =>
        jwt.TryGetPayloadValue<long>(claim, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary><c>grants.identity</c> and <c>grants.chat.service_sid</c> (null when absent); null when the grants are not JSON objects.</summary>
    private static (string? Identity, string? ServiceSid)? ReadGrants(JsonWebToken jwt)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            if (!payload.RootElement.TryGetProperty("grants", out var grants) || grants.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var identity = grants.TryGetProperty("identity", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var service = grants.TryGetProperty("chat", out var chat) && chat.ValueKind == JsonValueKind.Object
                && chat.TryGetProperty("service_sid", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } sid
                ? sid
                : null;
            return (identity, service);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }
}
