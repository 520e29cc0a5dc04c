using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Login;

/// <summary>
/// <c>POST /login</c> latency and throughput on the sample web host, a child process on loopback with its in-process
/// emulator (no injected latency), open loop: logins are sent at a fixed offered rate by the clock, with at most 8 or 64
/// in flight (a client's connection pool), and latency runs from each login's intended send time, so time spent waiting
/// for a free slot counts.
/// </summary>
internal static class LoginThroughputBenchmark
{
    private static readonly int[] Caps = [8, 64];

    public static async Task<string> RunAsync(bool quick)
    {
        int[] rates = quick ? [100, 200, 400] : [100, 200, 400, 800];
        var perStep = quick ? 300 : 900; // under Twilio's 1,000 participants per room, which the emulator enforces
        var table = new StringBuilder()
            .AppendLine("## POST /login latency at fixed offered rates (web host + emulator, no injected latency)")
            .AppendLine();

        var dll = WebHostProcess.FindHost();
        if (dll is null)
        {
            return table.AppendLine("Skipped: no Release build of samples/WebApiHost (building this project in Release builds it).").ToString();
        }

        var dataDirectory = Directory.CreateTempSubdirectory("chatrooms-bench-");
        var port = NetworkAddresses.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var host = WebHostProcess.Start(dll, port, dataDirectory.FullName, usernameOnly: true);
        try
        {
            using var client = WebHostProcess.NewClient(baseAddress);
            await WebHostProcess.WaitForHealthAsync(client, host);
            var antiforgery = await AnonymousAntiforgery.FetchAsync(client);

            // Warm-up: connections, the host's caches and the JIT. Two rounds, because a profile of the host showed its
            // background tier-up compilation still taking ~40% of its CPU after one round of 300.
            for (var round = 0; round < 2; round++)
            {
                await NewUsersAsync(client, antiforgery, 100, perStep, 8, $"warm-{round}-", keep: false);
            }

            LoginTable.AppendHeader(table);
            string[] returning = [];
            foreach (var cap in Caps)
            {
                foreach (var rate in rates)
                {
                    // The last step's users stay, members of every room, for the returning-user series.
                    var last = cap == Caps[^1] && rate == rates[^1];
                    var (result, users) = await NewUsersAsync(client, antiforgery, rate, perStep, cap, $"new-{cap}-{rate}-", keep: last);
                    LoginTable.AppendRow(table, "new", cap, rate, result);
                    returning = users;
                }
            }

            foreach (var rate in rates)
            {
                var result = await OpenLoop.RunAsync(client, rate, perStep, Caps[^1], i => antiforgery.Login(new { username = returning[i % returning.Length] }));
                LoginTable.AppendRow(table, "returning", Caps[^1], rate, result);
            }

            var rooms = await CountRoomsAsync(client, antiforgery);
            table.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Open loop: login i is due at start + i/rate; each step sends {perStep:N0} logins, after 2 × {perStep:N0} warm-up logins at 100/s. At most 8 or 64 ")
                .AppendLine("logins are in flight (the two series); a login due while the cap is reached waits for a slot, and that wait ")
                .AppendLine("is part of its latency, measured from the time it was due (HdrHistogram, µs, 3 digits), so a server that ")
                .AppendLine("cannot keep up shows it as growing latency and an achieved rate below the offered one. Achieved = completed ")
                .AppendLine(CultureInfo.InvariantCulture, $"logins / time from the first send to the last answer. The host (Release, a child process on 127.0.0.1, login rate ")
                .AppendLine(CultureInfo.InvariantCulture, $"limit lifted, `Chat:SignIn=UsernameOnly`: no password) seeds {rooms} room(s); each login checks the antiforgery token, ")
                .AppendLine("finds or makes the account and writes its session (SQLite, the accounts database), and a new one then creates ")
                .AppendLine("the user, lists the rooms, adds the user to each and ")
                .AppendLine("signs a token, over loopback HTTP to the emulator mounted in the same process (state in SQLite in a temp ")
                .AppendLine("directory); the load generator shares the 2 cores with it. After each new-user step its users are deleted ")
                .AppendLine("over the emulator's REST API, since the emulator enforces Twilio's 1,000 participants per conversation and ")
                .AppendLine("every user joins every room; the last step's users stay for the returning-user series (members of every ")
                .AppendLine("room already: their login only reads, plus the token).")
                .AppendLine()
                .AppendLine("Reading it: where achieved falls below offered, the host is saturated and latency is queueing; with 8 in flight ")
                .AppendLine("the queue forms at the client (waiting for a slot), with 64 inside the host. New users saturate below returning ")
                .AppendLine("ones: a new login also makes 1 + rooms writes to the emulator (the user, then a participant per room), each ")
                .AppendLine("committed with an fsync. On 2026-12-01 new users saturated at about 110 to 150 logins/s and returning ones at ")
                .AppendLine("about 200, a quarter of the 549 and 460 measured on 2026-11-25, before sign-in by account. The same command on ")
                .AppendLine("the code before that day's limits and error mapping (commit b32549e) gave 108 to 131 and 209 to 231, so the drop ")
                .AppendLine("came with the accounts, not with them. What a login pays since then, and the likely cost, not profiled: the ")
                .AppendLine("antiforgery check, finding or creating the Identity account and writing its session row in the accounts ")
                .AppendLine("database (SQLite), on the same 2 cores as the load generator and the emulator. Before sign-in, group commit of ")
                .AppendLine("the emulator's writes was tried and gave no gain (617 and 455 against 549 and 460), so its fsyncs were not ")
                .AppendLine("the limit then.");
        }
        finally
        {
            await WebHostProcess.StopAsync(host, dataDirectory);
        }

        table.AppendLine().Append(await PasswordLoginSeries.RunAsync(dll, quick));
        return table.ToString();
    }

    /// <summary>New users at a fixed rate; then, unless <paramref name="keep"/>, deletes them again.</summary>
    private static async Task<(LoadResult Result, string[] Users)> NewUsersAsync(
        HttpClient client, AnonymousAntiforgery antiforgery, int rate, int requests, int cap, string prefix, bool keep)
    {
        var users = Enumerable.Range(0, requests).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var result = await OpenLoop.RunAsync(client, rate, requests, cap, i => antiforgery.Login(new { username = users[i] }));
        if (!keep)
        {
            await DeleteUsersAsync(client, users);
        }

        return (result, users);
    }

    /// <summary>Deletes users, and so their memberships, over the REST API of the emulator the host mounts at /emulator.</summary>
    private static async Task DeleteUsersAsync(HttpClient client, string[] users)
    {
        var credentials = EmulatorCredentials.Development;
        var basic = EmulatorClients.Basic(credentials, useAccountToken: true);
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, cancel) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"/emulator/v1/Users/{Uri.EscapeDataString(user)}");
            request.Headers.Authorization = basic;
            using var response = await client.SendAsync(request, cancel);
            if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound)) // not found: its login failed
            {
                throw new InvalidOperationException($"deleting {user} answered HTTP {(int)response.StatusCode}");
            }
        });
    }

    private static async Task<int> CountRoomsAsync(HttpClient client, AnonymousAntiforgery antiforgery)
    {
        using var request = antiforgery.Login(new { username = "room-counter" });
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<RoomCount>();
        return body?.Chatrooms?.Length ?? 0;
    }

    private sealed record RoomCount(string[][]? Chatrooms);
}
