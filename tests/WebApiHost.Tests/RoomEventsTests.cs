using System.Net.Http.Json;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace WebApiHost.Tests;

/// <summary>
/// <c>GET /rooms/events</c>, for a signed-in session: rooms made or removed elsewhere (here: the library, as the admin
/// console does) reach a watcher, pushed by the emulator's webhooks to the host: the list is read on a timer only once
/// an hour here, so a change that arrives came by webhook.
/// </summary>
public sealed class RoomEventsTests : IAsyncLifetime
{
    private readonly ChatHostFactory _host = new()
    {
        UsernameOnly = true,
        Settings = new Dictionary<string, string> { ["Chat:RoomDirectoryRefreshInterval"] = "01:00:00" },
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Events_RoomCreatedThenDeleted_WatcherSeesBothChanges()
    {
        // Bounded: a broken stream fails the test instead of hanging it.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var client = (await SignedInUser.LogInAsync(_host, SignedInUser.NewName("watcher"))).Session.Client;
        var admin = _host.Services.GetRequiredService<IChatRoomAdmin>();
        var room = "live-" + Guid.NewGuid().ToString("N")[..6];

        using var response = await client.GetAsync("/rooms/events", HttpCompletionOption.ResponseHeadersRead, ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        await using var events = (await RoomListsAsync(response, ct)).GetAsyncEnumerator(ct);

        (await NextAsync(events)).Should().Contain(["general", "random"]).And.NotContain(room);

        await admin.CreateRoomAsync(room, ct);
        (await NextAsync(events)).Should().Contain(room);

        await admin.DeleteRoomAsync(room, ct);
        (await NextAsync(events)).Should().NotContain(room).And.Contain("general");
        // The emulator lists an attempt once the host has answered it, a moment after the host acted on it.
        using var emulator = EmulatorClients.Raw(new Uri(_host.BaseAddress, "/emulator"), _host.EmulatorCredentials, useAccountToken: true);
        var hook = new Uri(_host.BaseAddress, "/twilio/conversations").ToString();
        var delivered = new List<string?>();
        while (!delivered.Contains("onConversationRemoved"))
        {
            await Task.Delay(50, ct);
            delivered = [.. (await emulator.GetFromJsonAsync<JsonElement>("webhooks/deliveries", ct)).GetProperty("deliveries").EnumerateArray()
                .Where(d => d.GetProperty("url").GetString() == hook && d.GetProperty("outcome").GetString() == "delivered")
                .Select(d => d.GetProperty("event_type").GetString())];
        }

        delivered.Should().Contain("onConversationAdded");
    }

    [Fact]
    public async Task Events_HostStopping_EndsTheStream()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var client = (await SignedInUser.LogInAsync(_host, SignedInUser.NewName("watcher"))).Session.Client;
        using var response = await client.GetAsync("/rooms/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token);

        await _host.DisposeAsync();

        // The host stopped without waiting out the open stream; reading it ends instead of hanging.
        var read = async () =>
        {
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        };
        // It ends at the end of the stream or with the connection cut (an IOException); a timeout would mean a hang.
        var ended = await Record.ExceptionAsync(read);
        ended.Should().Match(e => e == null || e is IOException, "the stream ends or is cut, not waited out (got {0})", ended);
    }

    private static async Task<IAsyncEnumerable<IReadOnlyList<string>>> RoomListsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct);
        return SseParser.Create(stream).EnumerateAsync(ct)
            .Where(item => item.EventType == "rooms")
            .Select(item => (IReadOnlyList<string>)[.. JsonDocument.Parse(item.Data).RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()!)]);
    }

    private static async Task<IReadOnlyList<string>> NextAsync(IAsyncEnumerator<IReadOnlyList<string>> events)
    {
        (await events.MoveNextAsync()).Should().BeTrue("the stream stays open while the host runs");
        return events.Current;
    }
}
