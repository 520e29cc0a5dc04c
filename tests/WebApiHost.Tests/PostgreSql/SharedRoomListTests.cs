using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace WebApiHost.Tests.PostgreSql;

/// <summary>
/// Two hosts behind a load balancer share one PostgreSQL database and one chat back end, and the service's webhooks
/// reach only one of them (the last to register: <c>second</c>, in Twilio mode on <c>first</c>'s emulator with its
/// <c>Chat:PublicAddress</c>). A room made anywhere still reaches a browser watching the other host: the host that got
/// the webhook tells the others through PostgreSQL's <c>NOTIFY</c>. Both hosts read the list on a timer only once an
/// hour, so what arrives came by webhook and NOTIFY.
/// </summary>
public sealed class SharedRoomListTests
{
    [Fact]
    public async Task RoomMadeAnywhere_ReachesTheWatcherOfTheHostTheWebhookMissed_ThroughPostgresNotify()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var postgres = await PostgresServer.StartAsync(ct);
        var shared = new Dictionary<string, string>
        {
            ["ConnectionStrings:Accounts"] = postgres.ConnectionString("chatrooms"),
            ["Chat:RoomDirectoryRefreshInterval"] = "01:00:00",
        };
        await using var first = new ChatHostFactory { UsernameOnly = true, Settings = shared };
        first.CreateRealClient().Dispose();   // migrates the database, seeds the rooms, points the webhooks at itself
        var credentials = first.EmulatorCredentials;
        var secondSettings = new Dictionary<string, string>(shared);
        await using var second = new ChatHostFactory
        {
            UsernameOnly = true,
            TwilioSettings = new Dictionary<string, string>
            {
                ["Twilio:AccountSid"] = credentials.AccountSid,
                ["Twilio:AuthToken"] = credentials.AuthToken,
                ["Twilio:ApiKeySid"] = credentials.ApiKeySid,
                ["Twilio:ApiKeySecret"] = credentials.ApiKeySecret,
                ["Twilio:BaseAddress"] = new Uri(first.BaseAddress, "/emulator").ToString(),
            },
            Settings = secondSettings,
        };
        secondSettings["Chat:PublicAddress"] = second.BaseAddress.ToString();   // its port is chosen when it is made, before it starts
        second.CreateRealClient().Dispose();  // now the webhooks go to the second host only

        var watcher = (await SignedInUser.LogInAsync(first, SignedInUser.NewName("watcher"))).Session.Client;
        using var response = await watcher.GetAsync("/rooms/events", HttpCompletionOption.ResponseHeadersRead, ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stream = await response.Content.ReadAsStreamAsync(ct);
        await using var lists = SseParser.Create(stream).EnumerateAsync(ct).Where(item => item.EventType == "rooms")
            .Select(item => JsonDocument.Parse(item.Data).RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList())
            .GetAsyncEnumerator(ct);
        (await lists.MoveNextAsync()).Should().BeTrue();
        lists.Current.Should().Contain("general");

        var room = "shared-" + Guid.NewGuid().ToString("N")[..6];
        await first.Services.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync(room, ct);

        (await lists.MoveNextAsync()).Should().BeTrue();
        lists.Current.Should().Contain(room, "the second host got the webhook and told the first through PostgreSQL");
        // The emulator lists an attempt once the host has answered it, a moment after the host acted on it.
        using var emulator = EmulatorClients.Raw(new Uri(first.BaseAddress, "/emulator"), credentials, useAccountToken: true);
        var deliveries = new List<string?>();
        while (deliveries.Count == 0)
        {
            await Task.Delay(50, ct);
            deliveries = [.. (await emulator.GetFromJsonAsync<JsonElement>("webhooks/deliveries", ct)).GetProperty("deliveries").EnumerateArray()
                .Where(d => d.GetProperty("event_type").GetString() == "onConversationAdded").Select(d => d.GetProperty("url").GetString())];
        }

        deliveries.Should().OnlyContain(url => url == new Uri(second.BaseAddress, "/twilio/conversations").ToString(),
            "the webhook reached the second host only");
    }
}
