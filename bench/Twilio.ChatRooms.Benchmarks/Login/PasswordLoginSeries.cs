using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Twilio.ChatRooms.Benchmarks.Login;

/// <summary>
/// <c>POST /login</c> with a password on a host with accounts (the default sign-in), returning users, and how much of
/// it is the password hash: Identity's <see cref="PasswordHasher{TUser}"/> timed alone in this process.
/// </summary>
internal static class PasswordLoginSeries
{
    private const string Password = "Bench-passw0rd!";
    private const int Cap = 64;

    public static async Task<string> RunAsync(string dll, bool quick)
    {
        int[] rates = quick ? [10, 25] : [10, 25, 50];
        var perStep = quick ? 100 : 200;
        var table = new StringBuilder()
            .AppendLine("### Password sign-in (`Chat:SignIn=Accounts`, returning users)")
            .AppendLine();
        LoginTable.AppendHeader(table);
        var dataDirectory = Directory.CreateTempSubdirectory("chatrooms-bench-pw-");
        var port = NetworkAddresses.FreePort();
        using var host = WebHostProcess.Start(dll, port, dataDirectory.FullName, usernameOnly: false);
        var serviceP50 = 0.0;
        try
        {
            using var client = WebHostProcess.NewClient(new Uri($"http://127.0.0.1:{port}"));
            await WebHostProcess.WaitForHealthAsync(client, host);
            var antiforgery = await AnonymousAntiforgery.FetchAsync(client);

            // The accounts, then one sign-in each (it makes them participants of every room): returning users from then on.
            var users = Enumerable.Range(0, perStep).Select(i => "pw-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (user, cancel) =>
            {
                using var create = antiforgery.Login(new { username = user, password = Password }, "/account");
                using var created = await client.SendAsync(create, cancel);
                using var first = antiforgery.Login(new { username = user, password = Password });
                using var signedIn = await client.SendAsync(first, cancel);
                if (created.StatusCode != HttpStatusCode.NoContent || signedIn.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"setting up {user}: HTTP {(int)created.StatusCode}, then {(int)signedIn.StatusCode}");
                }
            });

            // One at a time, well below what the host can do: no queueing, so p50 is the cost of one password sign-in.
            var alone = await OpenLoop.RunAsync(client, 2, quick ? 20 : 40, 1,
                i => antiforgery.Login(new { username = users[i % users.Length], password = Password }));
            LoginTable.AppendRow(table, "returning, password", 1, 2, alone);
            serviceP50 = alone.Histogram.GetValueAtPercentile(50) / 1000.0;

            foreach (var rate in rates)
            {
                var result = await OpenLoop.RunAsync(client, rate, perStep, Cap,
                    i => antiforgery.Login(new { username = users[i % users.Length], password = Password }));
                LoginTable.AppendRow(table, "returning, password", Cap, rate, result);
            }
        }
        finally
        {
            await WebHostProcess.StopAsync(host, dataDirectory);
        }

        var hashMs = HashVerifyMilliseconds();
        return table.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{perStep:N0} accounts made with `POST /account` and signed in once before the series (so their rooms are joined); each ")
            .AppendLine("step then signs them in again with their password, on a second host process with the same settings but ")
            .AppendLine("accounts on: first one at a time at 2/s (no queueing: its p50 is what one password sign-in costs), then at most ")
            .AppendLine("64 in flight. One password check, Identity's `PasswordHasher` (PBKDF2-HMAC-SHA512, 100,000 iterations, its ")
            .AppendLine(CultureInfo.InvariantCulture, $"defaults) timed alone in the benchmark process, median of 20: **{hashMs:F1} ms** of one core. One at a time a password ")
            .AppendLine(CultureInfo.InvariantCulture, $"sign-in took {serviceP50:F1} ms at p50, so the hash is about **{Share(hashMs, serviceP50)}** of it; the rest ({Math.Max(0, serviceP50 - hashMs):F1} ms) is the ")
            .AppendLine("antiforgery check, the account lookup, the session write and the login itself (the rooms, the token), which ")
            .AppendLine(CultureInfo.InvariantCulture, $"the username-only logins above pay too. The hash also bounds the rate: one core checks about {1000 / hashMs:N0} passwords/s, so the 2 shared cores cap ")
            .AppendLine(CultureInfo.InvariantCulture, $"password sign-ins near {2000 / hashMs:N0}/s, where the table's achieved rate falls behind the offered one. That cost is the point ")
            .AppendLine("of the hash (it is what slows a guesser); passkey sign-ins do not pay it.")
            .ToString();
    }

    private static string Share(double part, double whole) => whole <= 0 ? "n/a" : (part / whole).ToString("P0", CultureInfo.InvariantCulture);

    private static double HashVerifyMilliseconds()
    {
        var hasher = new PasswordHasher<object>();
        var user = new object();
        var hash = hasher.HashPassword(user, Password);
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var start = Stopwatch.GetTimestamp();
            hasher.VerifyHashedPassword(user, hash, Password);
            if (i > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds); // the first one warms up
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
