using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;

namespace ClientProtocol.Tests;

/// <summary>
/// What the tests that drive Twilio's own SDK share: the library set up against a real emulator,
/// REST calls authenticated as a server SDK's, and reading one probe event.
/// </summary>
internal static class SdkTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static JsonObject One(IReadOnlyList<JsonObject> events, string name) =>
        events.Should().ContainSingle(e => (string)e["event"]! == name, string.Join('\n', events)).Subject;

    internal static ServiceProvider Library(ConversationsEmulatorServer server)
    {
        var services = new ServiceCollection();
        services.AddTwilioChatRooms(o =>
        {
            o.AccountSid = server.Credentials.AccountSid;
            o.AuthToken = server.Credentials.AuthToken;
            o.ApiKeySid = server.Credentials.ApiKeySid;
            o.ApiKeySecret = server.Credentials.ApiKeySecret;
            o.BaseAddress = server.BaseAddress;
        });
        return services.BuildServiceProvider();
    }

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
