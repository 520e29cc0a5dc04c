using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// What the dashboard's commands and the health check ask of a running emulator, over its own HTTP API with its
/// credentials (Basic: the account SID and the auth token): <c>health</c>, <c>admin/reset</c>, <c>admin/seed</c>.
/// </summary>
internal sealed class EmulatorAdminClient(TwilioConversationsEmulatorResource emulator, HttpClient http)
{
    /// <summary>The answer of one call: its status and body, read whole (they are small).</summary>
    public readonly record struct Answer(int Status, string Body)
    {
        public bool Succeeded => Status is >= 200 and < 300;

        /// <summary>The <c>message</c> of Twilio's error body, else the body itself.</summary>
        public string Message
        {
            get
            {
                try
                {
                    using var json = JsonDocument.Parse(Body);
                    return json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                        ? message.GetString()!
                        : Body;
                }
                catch (JsonException)
                {
                    return Body;
                }
            }
        }
    }

    public Task<Answer> HealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "health", null, cancellationToken);

    public Task<Answer> ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "admin/reset", new FormUrlEncodedContent([]), cancellationToken);

    public Task<Answer> SeedAsync(string seed, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "admin/seed", new FormUrlEncodedContent([new("Seed", seed)]), cancellationToken);

    /// <summary>The inspector's address: <c>{endpoint}/emulator/inspector</c>.</summary>
    public async Task<string> InspectorAddressAsync(CancellationToken cancellationToken = default) =>
        await emulator.RestAddress.GetValueAsync(cancellationToken).ConfigureAwait(false) + "/inspector";

    /// <summary>The user name and password the emulator's Basic authentication takes.</summary>
    public async Task<(string User, string Password)> BasicCredentialsAsync(CancellationToken cancellationToken = default) =>
        ((await emulator.AccountSid.GetValueAsync(cancellationToken).ConfigureAwait(false))!,
         (await emulator.AuthToken.GetValueAsync(cancellationToken).ConfigureAwait(false))!);

    private async Task<Answer> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var address = await emulator.RestAddress.GetValueAsync(cancellationToken).ConfigureAwait(false);
        var (user, password) = await BasicCredentialsAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, new Uri(address + "/" + path));
        request.Content = content;
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}
