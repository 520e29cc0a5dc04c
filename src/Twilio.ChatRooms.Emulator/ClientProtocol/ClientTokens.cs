using Microsoft.IdentityModel.JsonWebTokens;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Realtime;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>
/// The access token check of the client face: the emulator's one token check (signature, issuer, chat grant, known
/// service), with the refusal told apart as Twilio does: 20104 for an expired token, which the SDK turns into
/// tokenExpired, else 20101.
/// </summary>
internal sealed class ClientTokens(HubTokenValidator validator, TimeProvider time) : ITwilsockAuthenticator
{
    public async ValueTask<TwilsockAuthentication> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (await validator.ValidateAsync(token).ConfigureAwait(false) is { } valid)
        {
            return TwilsockAuthentication.Accepted(new TwilsockPrincipal(valid.Identity, valid.ServiceSid, valid.Expires));
        }

        var handler = new JsonWebTokenHandler();
        var expired = token is not null && handler.CanReadToken(token)
            && handler.ReadJsonWebToken(token).ValidTo is var exp && exp != DateTime.MinValue && exp <= time.GetUtcNow().UtcDateTime;
        return expired
            ? TwilsockAuthentication.Refused(TwilsockAuthentication.ExpiredToken, "Access Token expired or expiration date invalid")
            : TwilsockAuthentication.Refused(TwilsockAuthentication.InvalidToken, "Invalid Access Token");
    }
}
