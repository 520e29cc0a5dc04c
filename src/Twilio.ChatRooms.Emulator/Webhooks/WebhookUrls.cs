using System.Net;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>Which webhook URLs the emulator accepts: absolute http or https, and loopback only unless remote clients are allowed.</summary>
internal static class WebhookUrls
{
    /// <summary>Null for an empty URL (none set), else the URL; 400 (code 20001) naming <paramref name="field"/> when it is refused.</summary>
    public static string? Check(string? url, string field, bool allowRemote)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Invalid {field}: {url} is not an absolute http or https URL");
        }

        if (!allowRemote && !(uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address))))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter,
                $"Invalid {field}: the emulator calls only loopback addresses (localhost, 127.0.0.1, [::1]) unless AllowRemoteClients is set");
        }

        return url;
    }
}
