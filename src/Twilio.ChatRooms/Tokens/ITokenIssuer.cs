namespace Twilio.ChatRooms;

/// <summary>Issues Twilio access tokens with a chat grant, for browsers to connect to Conversations.</summary>
public interface ITokenIssuer
{
    /// <summary>Issues an access token for <paramref name="identity"/>.</summary>
    /// <remarks>
    /// The chat grant names <see cref="TwilioChatRoomsOptions.ServiceSid"/>, or, when that is unset, the account's
    /// default conversation service (read once and cached). The token lives for
    /// <see cref="TwilioChatRoomsOptions.TokenLifetime"/>.
    /// </remarks>
    /// <param name="identity">The user's identity, used in its canonical form (<see cref="ChatIdentity.Canonicalize"/>: <c>Alice</c> is <c>alice</c>).</param>
    /// <param name="cancellationToken">Cancels the service lookup.</param>
    /// <returns>The signed token and when it expires.</returns>
    Task<ChatAccessToken> IssueAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues a fresh token for the identity of <paramref name="currentToken"/>, a token this issuer signed that has
    /// not expired yet: the way a signed-in browser renews its token before it runs out.
    /// </summary>
    /// <remarks>The token is checked exactly as <see cref="ValidateAsync"/> checks it.</remarks>
    /// <param name="currentToken">The token to renew.</param>
    /// <param name="cancellationToken">Cancels the service lookup.</param>
    /// <returns>A new token for the same identity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="currentToken"/> is null.</exception>
    /// <exception cref="ChatRoomsException">
    /// The token is refused as <see cref="ValidateAsync"/> refuses it (<see cref="ChatRoomsErrorKind.Unauthorized"/>).
    /// </exception>
    Task<ChatAccessToken> RefreshAsync(string currentToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a token that a client presents, such as a bearer token on a web host's endpoint, and returns who it
    /// was issued for.
    /// </summary>
    /// <remarks>
    /// Accepted only when it is an HS256 JWT signed with <see cref="TwilioChatRoomsOptions.ApiKeySecret"/>, issued by
    /// <see cref="TwilioChatRoomsOptions.ApiKeySid"/> for <see cref="TwilioChatRoomsOptions.AccountSid"/> (<c>sub</c>),
    /// valid now by the registered <see cref="TimeProvider"/> (not expired, <c>nbf</c> not in the future), living at most
    /// Twilio's 24 hours, with a chat grant for this conversation service and an identity in canonical form
    /// (<see cref="ChatIdentity.Canonicalize"/>). Sends no request, except the one-time lookup of the default service
    /// when <see cref="TwilioChatRoomsOptions.ServiceSid"/> is unset; a refusal is logged with its reason, never with
    /// the token.
    /// </remarks>
    /// <param name="token">The JWT, without a <c>Bearer</c> prefix.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The same token with its identity and expiry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    /// <exception cref="ChatRoomsException">
    /// The token is empty, malformed, not signed with this API key, issued for another account or service, without a
    /// chat grant, expired, not valid yet, living longer than 24 hours, or without a canonical identity
    /// (<see cref="ChatRoomsErrorKind.Unauthorized"/>); the message says which.
    /// </exception>
    Task<ChatAccessToken> ValidateAsync(string token, CancellationToken cancellationToken = default);
}

/// <summary>A signed access token.</summary>
/// <param name="Token">The JWT to hand to the browser. Treat it as a secret: never log it.</param>
/// <param name="Identity">The identity it was issued for.</param>
/// <param name="ExpiresAt">When it stops being accepted.</param>
public sealed record ChatAccessToken(string Token, string Identity, DateTimeOffset ExpiresAt)
{
    /// <summary>Hides the token itself, so that logging the record cannot leak it.</summary>
    /// <returns>The identity and expiry.</returns>
    public override string ToString() => $"ChatAccessToken {{ Identity = {Identity}, ExpiresAt = {ExpiresAt:O} }}";
}
