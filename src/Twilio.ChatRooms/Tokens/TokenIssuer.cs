using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
    public async Task<ChatAccessToken> IssueAsync(string identity, CancellationToken cancellationToken = default)
    {
        Arguments.Check(identity, "identity", nameof(identity));
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var o = options.Value;

        // JWT times are whole seconds: round the expiry down so ExpiresAt is exactly the token's exp.
        var now = timeProvider.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + o.TokenLifetime).ToUnixTimeSeconds());
        var jwt = Sign(o, identity, serviceSid, now.ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds());
        Log.TokenIssued(logger, identity, expiresAt);
        return new ChatAccessToken(jwt, identity, expiresAt);
    }

    private static readonly byte[] Header = """{"cty":"twilio-fpa;v=1","typ":"JWT","alg":"HS256"}"""u8.ToArray();

    /// <summary>
    /// The header and claims of the Twilio SDK's <c>new Token(...).ToJwt()</c> with a chat grant, written and signed
    /// directly: the SDK's general-purpose JWT path took several times as long and about 20 KB of garbage per token
    /// (docs/benchmarks.md, tokens).
    /// </summary>
    private static string Sign(TwilioChatRoomsOptions o, string identity, string serviceSid, long now, long expires)
    {
        var payload = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("jti", $"{o.ApiKeySid}-{now}");
            json.WriteString("iss", o.ApiKeySid);
            json.WriteString("sub", o.AccountSid);
            json.WriteNumber("exp", expires);
            json.WriteStartObject("grants");
            json.WriteString("identity", identity);
            json.WriteStartObject("chat");
            json.WriteString("service_sid", serviceSid);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var headerLength = Base64Url.GetEncodedLength(Header.Length);
        var signingLength = headerLength + 1 + Base64Url.GetEncodedLength(payload.WrittenCount);
        var token = new byte[signingLength + 1 + Base64Url.GetEncodedLength(HMACSHA256.HashSizeInBytes)];
        Base64Url.EncodeToUtf8(Header, token);
        token[headerLength] = (byte)'.';
        Base64Url.EncodeToUtf8(payload.WrittenSpan, token.AsSpan(headerLength + 1));
        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(o.ApiKeySecret), token.AsSpan(0, signingLength), signature);
        token[signingLength] = (byte)'.';
        Base64Url.EncodeToUtf8(signature, token.AsSpan(signingLength + 1));
        return Encoding.ASCII.GetString(token);
    }

    public async Task<ChatAccessToken> RefreshAsync(string currentToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentToken);
        var identity = await ValidateAsync(currentToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await IssueAsync(identity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that this API key signed the token and that it has not expired; returns its identity.</summary>
    private async Task<string> ValidateAsync(string currentToken)
    {
        var o = options.Value;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = o.ApiKeySid,
            ValidateIssuer = true,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the TimeProvider
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(o.ApiKeySecret)),
        };

        TokenValidationResult result;
        try
        {
            result = await new JsonWebTokenHandler().ValidateTokenAsync(currentToken, parameters).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw Refused("the token is malformed", e);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw Refused("the token is malformed or was not signed with this API key", result.Exception);
        }

        if (!string.Equals(jwt.Subject, o.AccountSid, StringComparison.Ordinal))
        {
            throw Refused("the token was issued for another account", null);
        }

        if (jwt.ValidTo == DateTime.MinValue || jwt.ValidTo <= timeProvider.GetUtcNow().UtcDateTime)
        {
            throw Refused("the token has expired", null);
        }

        string? identity = null;
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            if (payload.RootElement.TryGetProperty("grants", out var grants) && grants.ValueKind == JsonValueKind.Object
                && grants.TryGetProperty("identity", out var id) && id.ValueKind == JsonValueKind.String)
            {
                identity = id.GetString();
            }
        }
        catch (JsonException e)
        {
            throw Refused("the token's payload is not JSON", e);
        }

        if (string.IsNullOrWhiteSpace(identity))
        {
            throw Refused("the token has no identity", null);
        }

        return identity;
    }

    private ChatRoomsException Refused(string reason, Exception? inner)
    {
        Log.RefreshRefused(logger, reason);
        return new ChatRoomsException(ChatRoomsErrorKind.Unauthorized, $"The access token cannot be renewed: {reason}.", innerException: inner);
    }
}
