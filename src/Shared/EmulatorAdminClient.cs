using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Twilio.ChatRooms.EmulatorAdmin;

/// <summary>
/// The one client of a running emulator's own HTTP API (<c>{prefix}/health</c>, <c>{prefix}/admin/...</c>) for what
/// drives it from outside: the tool's <c>reset</c>, <c>seed</c> and <c>snapshot</c> commands and the Aspire dashboard's
/// commands and health check. Every request carries the emulator's Basic credentials (the account SID and the auth
/// token). A source file linked into both, not a type of the emulator's package, so that the Aspire hosting package
/// does not depend on the emulator's server.
/// </summary>
/// <param name="http">The client to send with; not disposed here.</param>
/// <param name="address">The emulator's address with its prefix, e.g. <c>http://127.0.0.1:4010/emulator</c>.</param>
/// <param name="accountSid">The user name of its Basic authentication.</param>
/// <param name="authToken">The password of its Basic authentication.</param>
internal sealed class EmulatorAdminClient(HttpClient http, string address, string accountSid, string authToken)
{
    /// <summary>The emulator's address with its prefix, as given.</summary>
    public string Address => address;

    public Task<EmulatorAdminAnswer> HealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "health", null, cancellationToken);

    public Task<EmulatorAdminAnswer> ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "admin/reset", Form(), cancellationToken);

    /// <summary>Applies a seed, JSON or YAML, as its text.</summary>
    public Task<EmulatorAdminAnswer> SeedAsync(string seed, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "admin/seed", Form(("Seed", seed)), cancellationToken);

    public Task<EmulatorAdminAnswer> TakeSnapshotAsync(string name, bool replace = false, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "admin/snapshots", Form(("Name", name), ("Replace", replace ? "true" : "false")), cancellationToken);

    public Task<EmulatorAdminAnswer> RestoreSnapshotAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"admin/snapshots/{Uri.EscapeDataString(name)}/restore", Form(), cancellationToken);

    public Task<EmulatorAdminAnswer> ListSnapshotsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "admin/snapshots", null, cancellationToken);

    public Task<EmulatorAdminAnswer> DeleteSnapshotAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"admin/snapshots/{Uri.EscapeDataString(name)}", null, cancellationToken);

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private async Task<EmulatorAdminAnswer> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(address.TrimEnd('/') + "/" + path));
        request.Content = content;
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(accountSid + ":" + authToken)));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new EmulatorAdminAnswer((int)response.StatusCode, response.ReasonPhrase, body);
    }
}

/// <summary>The answer of one call: its status, reason phrase and body, read whole (they are small).</summary>
internal readonly record struct EmulatorAdminAnswer(int Status, string? Reason, string Body)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The <c>message</c> of Twilio's error body; null when the body is not one.</summary>
    public string? ErrorMessage
    {
        get
        {
            try
            {
                using var json = JsonDocument.Parse(Body);
                return json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                    ? message.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
