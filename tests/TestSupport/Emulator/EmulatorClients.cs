using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Emulator;
using Twilio.Clients;
using Twilio.Http;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>Clients for an emulator's REST face: the real Twilio SDK, and a raw HttpClient with Basic authentication.</summary>
public static class EmulatorClients
{
    /// <summary>The credentials file's JSON: camelCase property names.</summary>
    public static JsonSerializerOptions CredentialsJson { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Twilio's C# SDK, authenticated with the emulator's API key, sending what it addresses to Twilio to the emulator.</summary>
    public static TwilioRestClient Twilio(ConversationsEmulatorServer server, string? password = null) =>
        Twilio(server.BaseAddress, server.Credentials, password);

    /// <inheritdoc cref="Twilio(ConversationsEmulatorServer, string?)"/>
    public static TwilioRestClient Twilio(Uri baseAddress, EmulatorCredentials credentials, string? password = null) =>
        new(credentials.ApiKeySid, password ?? credentials.ApiKeySecret, accountSid: credentials.AccountSid,
            httpClient: new SystemNetHttpClient(new System.Net.Http.HttpClient(new RewriteHandler(baseAddress))));

    /// <summary>A raw client whose base address is the emulator's (relative paths such as <c>v1/Conversations</c>).</summary>
    public static System.Net.Http.HttpClient Raw(ConversationsEmulatorServer server, bool useAccountToken = false) =>
        Raw(server.BaseAddress, server.Credentials, useAccountToken);

    /// <summary>A raw client for an emulator known by its address (its mount, such as <c>http://host/emulator</c>) and credentials.</summary>
    public static System.Net.Http.HttpClient Raw(Uri baseAddress, EmulatorCredentials credentials, bool useAccountToken = false) =>
        new() { BaseAddress = new Uri(baseAddress.ToString().TrimEnd('/') + "/"), DefaultRequestHeaders = { Authorization = Basic(credentials, useAccountToken) } };

    /// <summary>The emulator's credentials (the API key, or the account SID and auth token) as a Basic Authorization header.</summary>
    public static AuthenticationHeaderValue Basic(EmulatorCredentials credentials, bool useAccountToken = false) =>
        useAccountToken ? Basic(credentials.AccountSid, credentials.AuthToken) : Basic(credentials.ApiKeySid, credentials.ApiKeySecret);

    /// <summary>Any user name and password as a Basic Authorization header.</summary>
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>A form body, as the server SDKs send one.</summary>
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>A name no other test uses.</summary>
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    /// <summary>
    /// The credentials an emulator generated in its data directory, read the documented way: JSON in
    /// <c>{directory}/emulator-credentials.json</c>.
    /// </summary>
    public static EmulatorCredentials CredentialsIn(string directory) =>
        JsonSerializer.Deserialize<EmulatorCredentials>(File.ReadAllText(Path.Combine(directory, EmulatorCredentials.FileName)), CredentialsJson)!;

    /// <summary>Sends what the SDK addresses to Twilio to the emulator instead, keeping path and query.</summary>
    private sealed class RewriteHandler(Uri baseAddress) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Host: "conversations.twilio.com" } uri)
            {
                request.RequestUri = new Uri(baseAddress.ToString().TrimEnd('/') + uri.PathAndQuery);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
