using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Twilio.Jwt.AccessToken;

namespace Twilio.ChatRooms.Emulator.Tests.Realtime;

/// <summary>A hub connection that records every event it receives.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly string[] Events =
    [
        "messageAdded", "messageUpdated", "messageRemoved", "participantJoined", "participantLeft", "participantUpdated",
        "conversationAdded", "conversationUpdated", "conversationRemoved", "typingStarted", "typingEnded",
    ];

    private readonly ConcurrentDictionary<string, List<JsonElement>> _received = new();
    private readonly Lock _gate = new();
    private event Action? Received;

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in Events)
        {
            connection.On<JsonElement>(name, e =>
            {
                lock (_gate)
                {
                    _received.GetOrAdd(name, _ => []).Add(e.Clone());
                }

                Received?.Invoke();
            });
        }
    }

    public HubConnection Connection { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A valid access token for <paramref name="identity"/> on the emulator's default service.</summary>
    public static string Token(ConversationsEmulatorServer server, string identity) =>
        new Token(server.Credentials.AccountSid, server.Credentials.ApiKeySid, server.Credentials.ApiKeySecret, identity,
            DateTime.UtcNow.AddHours(1), grants: [new ChatGrant { ServiceSid = server.DefaultServiceSid }]).ToJwt();

    public static async Task<HubClient> ConnectAsync(ConversationsEmulatorServer server, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(server.BaseAddress + "/hub", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var client = new HubClient(connection);
        try
        {
            await connection.StartAsync(Ct).WaitAsync(Wait, Ct);

            // SignalR completes the handshake before the hub's OnConnectedAsync has run; a first call is answered only
            // after it, so from here on the connection is in its rooms and sees every later change.
            await connection.InvokeAsync<JsonElement>("GetSubscribedConversations", Ct).WaitAsync(Wait, Ct);
            return client;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public List<JsonElement> All(string name)
    {
        lock (_gate)
        {
            return _received.TryGetValue(name, out var list) ? [.. list] : [];
        }
    }

    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match)
    {
        var found = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            foreach (var e in All(name))
            {
                if (match(e))
                {
                    found.TrySetResult(e);
                    return;
                }
            }
        }

        Received += Check;
        try
        {
            Check();
            return await found.Task.WaitAsync(Wait, Ct);
        }
        finally
        {
            Received -= Check;
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
