using System.Net.Http.Headers;
using System.Text;
using Twilio.Clients;
using Twilio.Http;

[assembly: AssemblyFixture(typeof(Twilio.ChatRooms.Emulator.Tests.EmulatorFixture))]

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>One emulator for the test assembly. Tests use unique names, so they do not see each other's data.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private ConversationsEmulatorServer? _server;

    public ConversationsEmulatorServer Server => _server ?? throw new InvalidOperationException("Not started");

    public async ValueTask InitializeAsync() => _server = await ConversationsEmulatorServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Clients for an emulator: the real Twilio SDK and a raw HttpClient.</summary>
internal static class Clients
{
    public static TwilioRestClient Twilio(ConversationsEmulatorServer server, string? password = null) =>
        new(server.Credentials.ApiKeySid, password ?? server.Credentials.ApiKeySecret, accountSid: server.Credentials.AccountSid,
            httpClient: new SystemNetHttpClient(new System.Net.Http.HttpClient(new RewriteHandler(server.BaseAddress))));

    public static System.Net.Http.HttpClient Raw(ConversationsEmulatorServer server, bool useAccountToken = false) =>
        Raw(server.BaseAddress, server.Credentials, useAccountToken);

    /// <summary>
    /// The credentials an emulator generated in its data directory, read the documented way: JSON in
    /// <c>{directory}/emulator-credentials.json</c>.
    /// </summary>
    public static EmulatorCredentials CredentialsIn(string directory) =>
        System.Text.Json.JsonSerializer.Deserialize<EmulatorCredentials>(
            File.ReadAllText(Path.Combine(directory, EmulatorCredentials.FileName)), CredentialsJson)!;

    /// <summary>The credentials file's JSON: camelCase property names.</summary>
    public static System.Text.Json.JsonSerializerOptions CredentialsJson { get; } = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static System.Net.Http.HttpClient Raw(Uri baseAddress, EmulatorCredentials credentials, bool useAccountToken = false)
    {
        var client = new System.Net.Http.HttpClient { BaseAddress = new Uri(baseAddress + "/") };
        var pair = useAccountToken
            ? $"{credentials.AccountSid}:{credentials.AuthToken}"
            : $"{credentials.ApiKeySid}:{credentials.ApiKeySecret}";
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        return client;
    }

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

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

/// <summary>A test class on the assembly's shared emulator.</summary>
public abstract class EmulatorTest(EmulatorFixture fixture)
{
    protected ConversationsEmulatorServer Server => fixture.Server;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
}
