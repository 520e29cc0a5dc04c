using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>Sets up the emulator's rooms over its REST API, as an admin would: the rooms, then each user and their membership.</summary>
internal static class EmulatorRooms
{
    private const int Parallelism = 16;

    /// <summary>
    /// Creates <c>clients / roomSize</c> rooms and users <c>user-{i}</c>, user i a participant of room i / roomSize, and
    /// the staller, a participant of every room; returns the rooms' SIDs.
    /// </summary>
    public static async Task<string[]> CreateAsync(Uri baseAddress, EmulatorCredentials credentials, int clients, int roomSize)
    {
        using var http = EmulatorClients.Raw(baseAddress, credentials, useAccountToken: true);
        var rooms = new string[clients / roomSize];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism };
        await Parallel.ForEachAsync(Enumerable.Range(0, rooms.Length), parallel, async (r, cancel) =>
            rooms[r] = (await PostAsync<Created>(http, "v1/Conversations", new() { ["UniqueName"] = $"fanout-{r:D5}" }, cancel)).Sid);
        await Parallel.ForEachAsync(Enumerable.Range(0, clients), parallel, async (i, cancel) =>
        {
            await PostAsync<Created>(http, "v1/Users", new() { ["Identity"] = Identity(i) }, cancel);
            await PostAsync<Created>(http, $"v1/Conversations/{rooms[i / roomSize]}/Participants", new() { ["Identity"] = Identity(i) }, cancel);
        });
        await PostAsync<Created>(http, "v1/Users", new() { ["Identity"] = Identity(FanoutLoad.StallerClient) }, CancellationToken.None);
        await Parallel.ForEachAsync(rooms, parallel, async (room, cancel) =>
            await PostAsync<Created>(http, $"v1/Conversations/{room}/Participants", new() { ["Identity"] = Identity(FanoutLoad.StallerClient) }, cancel));
        return rooms;
    }

    public static string Identity(int client) => client == FanoutLoad.StallerClient ? "staller" : $"user-{client}";

    private static async Task<T> PostAsync<T>(HttpClient http, string path, Dictionary<string, string> form, CancellationToken cancel)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form), cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(cancel))!;
    }

    private sealed record Created(string Sid);
}
