namespace Twilio.ChatRooms.Http;

/// <summary>
/// Sends requests meant for <c>*.twilio.com</c> to <see cref="TwilioChatRoomsOptions.BaseAddress"/> instead, keeping
/// their path and query under the base address's own path; those for the Media Content Service (<c>mcs.*.twilio.com</c>)
/// under its <c>/mcs</c>, where the emulator serves it. Requests to other hosts pass unchanged.
/// </summary>
internal sealed class BaseAddressHandler(Uri? baseAddress) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (baseAddress is not null && request.RequestUri is { IsAbsoluteUri: true } uri && IsTwilio(uri.Host))
        {
            request.RequestUri = Rewrite(baseAddress, uri);
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal static bool IsTwilio(string host)
        => host.Equals("twilio.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase);

    internal static Uri Rewrite(Uri baseAddress, Uri original)
    {
        var prefix = baseAddress.GetLeftPart(UriPartial.Authority) + baseAddress.AbsolutePath.TrimEnd('/');
        if (original.Host.StartsWith("mcs.", StringComparison.OrdinalIgnoreCase))
        {
            prefix += "/mcs";
        }

        return new Uri(prefix + original.PathAndQuery, UriKind.Absolute);
    }
}
