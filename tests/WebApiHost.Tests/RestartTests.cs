using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace WebApiHost.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Host_RestartedOnSameDataDirectory_KeepsRoomsAndDoesNotSeedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var room = "kept-" + Guid.NewGuid().ToString("N")[..6];
        using var data = new TemporaryDirectory("restart-data-");
        var dataDirectory = data.Path;
        List<(string Name, string Sid)> before;
        await using (var first = new ChatHostFactory { UsernameOnly = true, DataDirectory = dataDirectory })
        {
            using var client = first.CreateRealClient();
            await first.Services.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync(room, ct);
            before = await LoginRoomsAsync(first, "restart-user", ct);
        }

        await using var second = new ChatHostFactory { UsernameOnly = true, DataDirectory = dataDirectory };
        using var again = second.CreateRealClient();
        var after = await LoginRoomsAsync(second, "restart-user", ct);

        before.Select(r => r.Name).Should().Contain(["general", "random", room]);
        after.Should().Equal(before, "the same rooms with the same SIDs, and no second pair of starter rooms");
    }

    private static async Task<List<(string Name, string Sid)>> LoginRoomsAsync(ChatHostFactory host, string user, CancellationToken ct)
    {
        using var browser = new HostSession(host);
        var response = await browser.PostAsync("/login", new { username = user });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return [.. body.GetProperty("chatrooms").EnumerateArray().Select(r => (r[0].GetString()!, r[1].GetString()!))];
    }
}
