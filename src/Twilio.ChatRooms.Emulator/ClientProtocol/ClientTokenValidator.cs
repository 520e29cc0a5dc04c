using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>
/// The emulator's one access-token check, for the client face's <c>init</c> and <c>update</c> frames. It refuses what
/// Twilio and Twilio.ChatRooms' own <c>ITokenIssuer.ValidateAsync</c> refuse: a token not signed (HS256) with the
/// API key secret or not issued by the API key (<c>iss</c>), for another account (<c>sub</c>), without an expiry,
/// expired, not valid yet (<c>nbf</c>), living longer than Twilio's 24 hours, without a chat grant, for an unknown
/// service, or with an identity that is empty, longer than 256 characters or holds control characters. Each refusal
/// answers Twilio's access-token error code for it (<see cref="Codes"/>), with its reason: 20104 for an expired token,
/// which the SDK turns into <c>tokenExpired</c>, and 20101 where Twilio documents nothing more specific.
/// </summary>
internal sealed class ClientTokenValidator(IOptions<ConversationsEmulatorOptions> options, ServiceRules services, ClientSignOuts signOuts, TimeProvider time)
    : ITwilsockAuthenticator
{
    /// <summary>Twilio's longest token lifetime, measured from <c>iat</c> or <c>nbf</c> (or now, with neither).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>How far in the future <c>nbf</c> may be: none, as in the library's check (one clock on one machine).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.Zero;

    /// <summary>
    /// Twilio's access-token error codes, each as its page in Twilio's error dictionary describes it
    /// (https://www.twilio.com/docs/api/errors/{code}).
    /// </summary>
    public static class Codes
    {
        /// <summary>20101 "Invalid Access Token": not a Twilio access token (twilio.com/docs/api/errors/20101).</summary>
        public const int Invalid = TwilsockAuthentication.InvalidToken;

        /// <summary>20103 "Invalid Access Token issuer/subject": the API key (iss) or account (sub) is wrong (twilio.com/docs/api/errors/20103).</summary>
        public const int IssuerOrSubject = 20103;

        /// <summary>20104 "Access Token expired or expiration date invalid" (twilio.com/docs/api/errors/20104); the SDK's tokenExpired.</summary>
        public const int Expired = TwilsockAuthentication.ExpiredToken;

        /// <summary>20105 "Access Token not yet valid": its nbf is in the future (twilio.com/docs/api/errors/20105).</summary>
        public const int NotYetValid = 20105;

        /// <summary>
        /// 20106 "Invalid Access Token grants": signature and issuer valid, but the grants invalid, unparseable or not
        /// authorizing the action (twilio.com/docs/api/errors/20106).
        /// </summary>
        public const int Grants = 20106;

        /// <summary>20107 "Invalid Access Token signature" (twilio.com/docs/api/errors/20107).</summary>
        public const int Signature = 20107;

        /// <summary>20157 "Expiration Time Exceeds Maximum Time Allowed": longer than 24 hours (twilio.com/docs/api/errors/20157).</summary>
        public const int LifetimeTooLong = 20157;
    }

    public async ValueTask<TwilsockAuthentication> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return Refused(Codes.Invalid, "the token is empty");
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
            return Refused(Codes.Invalid, "the token is malformed");
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            // The handler checks the signature before the issuer, so a wrong iss is reported only for a good signature.
            return result.Exception switch
            {
                SecurityTokenInvalidSignatureException => Refused(Codes.Signature, "the token is not signed with this emulator's API key secret"),
                SecurityTokenInvalidIssuerException => Refused(Codes.IssuerOrSubject, "the token was not issued by this emulator's API key"),
                _ => Refused(Codes.Invalid, "the token is malformed"),
            };
        }

        if (!string.Equals(jwt.Subject, credentials.AccountSid, StringComparison.Ordinal))
        {
            return Refused(Codes.IssuerOrSubject, "the token was issued for another account");
        }

        var now = time.GetUtcNow();
        if (Time(jwt, "exp") is not { } expires)
        {
            // 20104 also covers an invalid expiry, but the SDK takes 20104 for "fetch a new token", which mends nothing here.
            return Refused(Codes.Invalid, "the token has no expiry");
        }

        if (expires <= now)
        {
            return TwilsockAuthentication.Refused(Codes.Expired, "Access Token expired or expiration date invalid");
        }

        var notBefore = Time(jwt, "nbf");
        if (notBefore > now + ClockSkew)
        {
            return Refused(Codes.NotYetValid, "the token is not valid yet (nbf is in the future)");
        }

        var validSince = new[] { notBefore, Time(jwt, "iat"), now }.Where(t => t is not null).Min()!.Value;
        if (expires - validSince > MaxLifetime)
        {
            return Refused(Codes.LifetimeTooLong, "the token lives longer than Twilio's maximum of 24 hours");
        }

        if (ReadGrants(jwt) is not { } grants)
        {
            return Refused(Codes.Grants, "the token's grants cannot be read");
        }

        var (identity, serviceSid) = grants;
        if (serviceSid is null)
        {
            return Refused(Codes.Grants, "the token has no chat grant");
        }

        if (IdentityProblem(identity) is { } problem)
        {
            return Refused(Codes.Grants, problem);
        }

        try
        {
            services.Get(serviceSid);
        }
        catch (EmulatorException)
        {
            return Refused(Codes.Grants, "the token's chat grant is for an unknown conversation service");
        }

        // Twilio cannot revoke a token; the emulator refuses one issued before its identity signed out, as expired, so
        // that the SDK asks its app for a new one (which a signed-out browser cannot get).
        var issuedAt = IssuedAt(jwt);
        if (signOuts.IssuedBeforeSignOut(identity!, issuedAt))
        {
            return TwilsockAuthentication.Refused(Codes.Expired, "Access Token expired or expiration date invalid: it was issued before its identity signed out");
        }

        return TwilsockAuthentication.Accepted(new TwilsockPrincipal(identity!, serviceSid, expires, issuedAt));
    }

    private static TwilsockAuthentication Refused(int code, string reason) =>
        TwilsockAuthentication.Refused(code, "Invalid Access Token: " + reason);

    private static string? IdentityProblem(string? identity) => identity switch
    {
        null or "" => "the token has no identity",
        { Length: > TwilioLimits.MaxIdentity } => $"the token's identity is longer than {TwilioLimits.MaxIdentity} characters",
        _ when identity.Any(char.IsControl) => "the token's identity holds control characters",
        _ => null,
    };

    /// <summary>
    /// When the token was issued: its <c>iat</c>, else its <c>nbf</c>, else the time in its <c>jti</c> (Twilio's tokens,
    /// and the library's, carry neither claim; their <c>jti</c> is the API key SID, a dash and the Unix time).
    /// </summary>
    private static DateTimeOffset? IssuedAt(JsonWebToken jwt) =>
        Time(jwt, "iat") ?? Time(jwt, "nbf")
        ?? (jwt.Id is { } jti && jti.LastIndexOf('-') is var dash and > 0
            && long.TryParse(jti.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds < 253402300800 // year 10000: beyond it is no time
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null);

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
