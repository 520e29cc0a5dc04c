using System.Text.Json.Nodes;
using Twilio.ChatRooms.TestSupport;

namespace WebApiHost.Tests;

/// <summary>
/// A signed-in user's twilsock connection to the host's emulator (<c>/emulator/twilsock</c>), the one real-time door,
/// with the Conversations path the configuration's links give, as the SDK reads them.
/// </summary>
internal sealed record HostTwilsock(TwilsockTestClient Client, string ConversationsPath) : IAsyncDisposable
{
    public static Uri Uri(ChatHostFactory factory) => new($"ws://{factory.BaseAddress.Authority}/emulator/twilsock");

    /// <summary>Connects with the token <c>/login</c> gave <paramref name="user"/> and reads the configuration.</summary>
    public static async Task<HostTwilsock> ConnectAsync(ChatHostFactory factory, SignedInUser user, CancellationToken cancellationToken)
    {
        var client = await TwilsockTestClient.ConnectAsync(Uri(factory), user.Token, cancellationToken);
        client.InitReply.StatusCode.Should().Be(200, client.InitReply.Header.ToJsonString());
        var configuration = await client.RequestAsync("GET", "/Client/v2/Configuration", null, cancellationToken);
        return new HostTwilsock(client, new Uri((string)configuration.Payload!["links"]!["conversations"]!).AbsolutePath);
    }

    public Task<TwilsockTestFrame> RequestAsync(string method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        Client.RequestAsync(method, path, body, cancellationToken);

    /// <summary>Sends a message as the SDK does; the reply carries its index.</summary>
    public Task<TwilsockTestFrame> SendAsync(string conversationSid, string body, CancellationToken cancellationToken) =>
        Client.RequestAsync("POST", $"{ConversationsPath}/{conversationSid}/Messages", new JsonObject { ["body"] = body }, cancellationToken);

    /// <summary>The bodies in a conversation's messages list (its Sync list), or the refusal's status.</summary>
    public async Task<(int Status, IReadOnlyList<string> Bodies)> MessagesAsync(string conversationSid, CancellationToken cancellationToken)
    {
        var reply = await Client.RequestAsync("GET", $"/v3/Lists/{conversationSid}.messages/Items", null, cancellationToken);
        var bodies = reply.HttpStatus == 200 ? reply.Payload!["items"]!.AsArray().Select(i => (string)i!["data"]!["text"]!).ToList() : [];
        return (reply.HttpStatus, bodies);
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
