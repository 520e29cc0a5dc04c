using System.Text.Json.Nodes;
using Twilio.Jwt.AccessToken;

using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>Connecting to the emulator's twilsock face as a user, and the paths the SDK sends over it.</summary>
public static class Twilsock
{
    /// <summary>A valid access token for <paramref name="identity"/> on the emulator's default service, as the Twilio SDK writes it.</summary>
    public static string Token(ConversationsEmulatorServer server, string identity, DateTime? expires = null) =>
        new Token(server.Credentials.AccountSid, server.Credentials.ApiKeySid, server.Credentials.ApiKeySecret, identity,
            expires ?? DateTime.UtcNow.AddHours(1), grants: [new ChatGrant { ServiceSid = server.DefaultServiceSid }]).ToJwt();

    /// <summary>Connects as <paramref name="identity"/> and fetches the configuration, as the SDK does first.</summary>
    public static async Task<TwilsockTestClient> ConnectAsync(ConversationsEmulatorServer server, string identity, CancellationToken cancellationToken)
    {
        var client = await TwilsockTestClient.ConnectAsync(server.TwilsockUri, Token(server, identity), cancellationToken);
        if (client.InitReply.StatusCode != 200)
        {
            await client.DisposeAsync();
            throw new InvalidOperationException("init was refused: " + client.InitReply.Header.ToJsonString());
        }

        return client;
    }

    /// <summary>The Conversations client path under the default service: <c>/Client/v2/Services/{IS}/{rest}</c>.</summary>
    public static string Chat(ConversationsEmulatorServer server, string rest) => $"/Client/v2/Services/{server.DefaultServiceSid}/{rest}";

    /// <summary>The Sync ids of the user's own objects, from the configuration (as the SDK reads them).</summary>
    public static async Task<(string MyConversations, string MyUserInfo)> SyncObjectsAsync(TwilsockTestClient client, CancellationToken cancellationToken)
    {
        var configuration = await client.RequestAsync("GET", "/Client/v2/Configuration", null, cancellationToken);
        var objects = configuration.Payload!["sync_objects"]!;
        return ((string)objects["my_conversations"]!, (string)objects["my_user_info"]!);
    }

    /// <summary>Sends a message as the SDK does and answers its index.</summary>
    public static async Task<int> SendAsync(TwilsockTestClient client, ConversationsEmulatorServer server, string conversationSid, string body, CancellationToken cancellationToken)
    {
        var reply = await client.RequestAsync("POST", Chat(server, $"Conversations/{conversationSid}/Messages"), new JsonObject { ["body"] = body }, cancellationToken);
        if (reply.HttpStatus != 200)
        {
            throw new InvalidOperationException("sending answered " + reply.Header.ToJsonString() + " " + reply.Payload?.ToJsonString());
        }

        return reply.Payload!["index"]!.GetValue<int>();
    }

    /// <summary>Waits for a Sync event of <paramref name="type"/> on <paramref name="objectSid"/> that matches.</summary>
    public static async Task<JsonObject> WaitForEventAsync(TwilsockTestClient client, string type, string objectSid, Func<JsonObject, bool> match, CancellationToken cancellationToken)
    {
        var frame = await client.WaitForNotificationAsync(n => TwilsockTestClient.SyncEvent(n) is var (t, e) && t == type && e is not null
            && ((string?)e["list_sid"] ?? (string?)e["map_sid"] ?? (string?)e["document_sid"]) == objectSid && match(e), cancellationToken);
        return TwilsockTestClient.SyncEvent(frame).Event!;
    }

    /// <summary>Every Sync event of <paramref name="type"/> on <paramref name="objectSid"/> received so far.</summary>
    public static List<JsonObject> Events(TwilsockTestClient client, string type, string objectSid) =>
        client.Notifications.Select(TwilsockTestClient.SyncEvent)
            .Where(x => x.Type == type && x.Event is not null
                && ((string?)x.Event["list_sid"] ?? (string?)x.Event["map_sid"] ?? (string?)x.Event["document_sid"]) == objectSid)
            .Select(x => x.Event!)
            .ToList();
}
