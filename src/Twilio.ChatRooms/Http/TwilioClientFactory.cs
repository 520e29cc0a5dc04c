using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Http;

namespace Twilio.ChatRooms.Http;

/// <summary>Builds the Twilio SDK client over the named HTTP client from <see cref="IHttpClientFactory"/>.</summary>
internal sealed class TwilioClientFactory(IHttpClientFactory httpClientFactory, IOptions<TwilioChatRoomsOptions> options)
{
    /// <summary>The name of the HTTP client that carries every request to Twilio.</summary>
    public const string HttpClientName = "Twilio.ChatRooms";

    /// <summary>What the client talks to, as a user would name it in an error: Twilio, or the base address that replaces it.</summary>
    public string Target => options.Value.BaseAddress is { } address ? $"The Conversations API at {address}" : "Twilio";

    /// <summary>A client for one operation (cheap: the handlers behind it are pooled by the factory).</summary>
    public TwilioRestClient Create()
    {
        var o = options.Value;
        var (username, password) = string.IsNullOrEmpty(o.AuthToken)
            ? (o.ApiKeySid, o.ApiKeySecret)
            : (o.AccountSid, o.AuthToken);
        var httpClient = httpClientFactory.CreateClient(HttpClientName);
        return new TwilioRestClient(username, password, o.AccountSid, httpClient: new SystemNetHttpClient(httpClient));
    }
}
