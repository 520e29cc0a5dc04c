using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;

namespace ClientProtocol.Tests;

/// <summary>
/// What the tests that drive Twilio's own SDK share: REST calls authenticated as a server SDK's, and reading one
/// probe event (the library on the emulator is <see cref="Twilio.ChatRooms.TestSupport.EmulatorBackedLibrary"/>).
/// </summary>
internal static class SdkTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static JsonObject One(IReadOnlyList<JsonObject> events, string name) =>
        events.Should().ContainSingle(e => (string)e["event"]! == name, string.Join('\n', events)).Subject;

    /// <summary>The emulator's REST credentials (the API key), as the value of a Basic Authorization header.</summary>
    internal static string BasicAuth(ConversationsEmulatorServer server) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{server.Credentials.ApiKeySid}:{server.Credentials.ApiKeySecret}"));

    /// <summary>An HTTP client for the emulator's REST API, authenticated as a server SDK would be.</summary>
    internal static HttpClient Rest(ConversationsEmulatorServer server)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Basic", BasicAuth(server));
        return http;
    }

    /// <summary>Posts a message over REST, as a server SDK would, and returns its SID.</summary>
    internal static async Task<string> PostMessageOverRestAsync(ConversationsEmulatorServer server, string conversationSid, string author, string body)
    {
        using var http = Rest(server);
        using var form = new FormUrlEncodedContent([new("Author", author), new("Body", body)]);
        using var response = await http.PostAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{conversationSid}/Messages"), form, Ct);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["sid"]!;
    }
}
