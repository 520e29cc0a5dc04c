using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Twilio.ChatRooms;

/// <summary>Signs Twilio access tokens with the API key, with a chat grant for the conversation service.</summary>
internal sealed class TokenIssuer(
    ChatRoomsLookups lookups,
    IOptions<TwilioChatRoomsOptions> options,
    TimeProvider timeProvider,
    ILogger<TokenIssuer> logger) : ITokenIssuer
{
    /// <summary>
    /// Writes tokens like the Twilio SDK's <c>Token.ToJwt()</c> (same header and claims, no iat or nbf) for less: the
    /// claims are serialized by source generation and signed with one cached key (docs/benchmarks.md, tokens).
    /// </summary>
    private static readonly JsonWebTokenHandler Handler = new();

    private static readonly Dictionary<string, object> TwilioHeader = new() { ["cty"] = "twilio-fpa;v=1" };

    /// <summary>One key for the API key secret: the handler caches its HMAC per key, so a new key per token costs a new HMAC.</summary>
    private readonly Lazy<SigningCredentials> _signingCredentials = new(() => new SigningCredentials(
        new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.ApiKeySecret)), SecurityAlgorithms.HmacSha256));

    public async Task<ChatAccessToken> IssueAsync(string identity, CancellationToken cancellationToken = default)
    {
        identity = ChatIdentity.Canonicalize(identity, nameof(identity));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var o = options.Value;

        // JWT times are whole seconds: round the expiry down so ExpiresAt is exactly the token's exp.
        var now = timeProvider.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + o.TokenLifetime).ToUnixTimeSeconds());
        // Twilio's access token format: the API key issues it for the account, the grants say who and what.
        var claims = new AccessTokenClaims($"{o.ApiKeySid}-{now.ToUnixTimeSeconds()}", o.ApiKeySid, o.AccountSid,
            expiresAt.ToUnixTimeSeconds(), new AccessTokenGrants(identity, new ChatGrantClaims(serviceSid)));
        var jwt = Handler.CreateToken(JsonSerializer.Serialize(claims, TokenJson.Default.AccessTokenClaims), _signingCredentials.Value, TwilioHeader);
        Log.TokenIssued(logger, identity, expiresAt);
        return new ChatAccessToken(jwt, identity, expiresAt);
    }

    public async Task<ChatAccessToken> RefreshAsync(string currentToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(currentToken);
        var current = await ValidateAsync(currentToken, cancellationToken).ConfigureAwait(false);
        return await IssueAsync(current.Identity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChatAccessToken> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();

        // An empty token is what a client sends without credentials: a refusal, not a programming error.
        if (string.IsNullOrWhiteSpace(token))
        {
            throw Refused("the token is empty", null);
        }

        var o = options.Value;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = o.ApiKeySid,
            ValidateIssuer = true,
            ValidateAudience = false,
            ValidateLifetime = false, // exp, nbf and the 24-hour cap are checked below against the TimeProvider
            RequireExpirationTime = false, // a token without exp is refused below, with that reason
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(o.ApiKeySecret)),
        };

        TokenValidationResult result;
        try
        {
            result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw Refused("the token is malformed", e);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw Refused("the token is malformed or was not signed with this API key", result.Exception);
        }

        if (!string.Equals(jwt.Subject, o.AccountSid, StringComparison.Ordinal))
        {
            throw Refused("the token was issued for another account", null);
        }

        var (identity, grantedService) = ReadGrants(jwt);
        var now = timeProvider.GetUtcNow();
        var expires = Time(jwt, "exp") ?? throw Refused("the token has no expiry", null);
        var notBefore = Time(jwt, "nbf");
        var issuedAt = Time(jwt, "iat");
        if (expires <= now)
        {
            throw Refused("the token has expired", null);
        }

        if (notBefore > now)
        {
            throw Refused("the token is not valid yet (nbf is in the future)", null);
        }

        // Twilio refuses tokens that live longer than 24 hours; ours never do. Measured from when it became valid, or,
        // for a token without iat or nbf (Twilio's SDK writes neither), from now.
        var validSince = new[] { notBefore, issuedAt, now }.Where(t => t is not null).Min()!.Value;
        if (expires - validSince > TwilioChatRoomsOptionsValidator.MaxTokenLifetime)
        {
            throw Refused("the token lives longer than Twilio's maximum of 24 hours", null);
        }

        if (grantedService is null)
        {
            throw Refused("the token has no chat grant", null);
        }

        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(grantedService, serviceSid, StringComparison.Ordinal))
        {
            throw Refused("the token's chat grant is for another conversation service", null);
        }

        if (string.IsNullOrWhiteSpace(identity))
        {
            throw Refused("the token has no identity", null);
        }

        try
        {
            if (!string.Equals(ChatIdentity.Canonicalize(identity), identity, StringComparison.Ordinal))
            {
                throw Refused("the token's identity is not in canonical form", null);
            }
        }
        catch (ArgumentException e)
        {
            throw Refused("the token's identity is not a valid identity", e);
        }

        return new ChatAccessToken(token, identity, expires);
    }

    /// <summary>The identity and the chat grant's service SID of a signed token (each null when absent).</summary>
    private (string? Identity, string? ServiceSid) ReadGrants(JsonWebToken jwt)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            if (!payload.RootElement.TryGetProperty("grants", out var grants) || grants.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var identity = grants.TryGetProperty("identity", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            var service = grants.TryGetProperty("chat", out var chat) && chat.ValueKind == JsonValueKind.Object
                && chat.TryGetProperty("service_sid", out var sid) && sid.ValueKind == JsonValueKind.String
                    ? sid.GetString()
                    : null;
            return (identity, service);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            throw Refused("the token's payload is not JSON", e);
        }
    }

    /// <summary>A NumericDate claim (seconds since 1970), null when absent; a refusal when it is not a valid time.</summary>
    private DateTimeOffset? Time(JsonWebToken jwt, string claim)
    {
        if (!jwt.TryGetPayloadValue<object>(claim, out var value) || value is null)
        {
            return null;
        }

        var seconds = value switch
        {
            long l => (double)l,
            int i => i,
            double d => d,
            decimal m => (double)m,
            _ => double.NaN,
        };
        return double.IsFinite(seconds) && seconds is >= 0 and <= 253402300799 // 9999-12-31T23:59:59Z
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : throw Refused($"the token's {claim} is not a valid time", null);
    }

    private ChatRoomsException Refused(string reason, Exception? inner)
    {
        Log.TokenRefused(logger, reason);
        return new ChatRoomsException(ChatRoomsErrorKind.Unauthorized, $"The access token was refused: {reason}.", innerException: inner);
    }
}

/// <summary>The claims of a Twilio access token with a chat grant (serialized by source generation: no reflection per token).</summary>
internal sealed record AccessTokenClaims(
    [property: JsonPropertyName("jti")] string Jti,
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("exp")] long Expires,
    [property: JsonPropertyName("grants")] AccessTokenGrants Grants);

/// <summary>Who the token is for and what it grants.</summary>
internal sealed record AccessTokenGrants(
    [property: JsonPropertyName("identity")] string Identity,
    [property: JsonPropertyName("chat")] ChatGrantClaims Chat);

/// <summary>The chat grant: the conversation service the token opens.</summary>
internal sealed record ChatGrantClaims([property: JsonPropertyName("service_sid")] string ServiceSid);

[JsonSerializable(typeof(AccessTokenClaims))]
internal sealed partial class TokenJson : JsonSerializerContext;
