using System.Diagnostics;
using Twilio.ChatRooms.Emulator;
using ServiceWebhook = Twilio.Rest.Conversations.V1.Service.Configuration.WebhookResource;

namespace Twilio.ChatRooms.Benchmarks.Webhooks;

/// <summary>
/// Post-event delivery throughput: the emulator delivering signed <c>onMessageAdded</c> webhooks to a loopback
/// receiver, against a minimal loop that posts the same signed form bodies to the same receiver, in rounds of one run.
/// </summary>
internal static class WebhookThroughput
{
    /// <summary>
    /// One round: deliveries per second of each, how many were timed, and this process's CPU time per delivery while each
    /// was timed (the receiver's share is in both: the difference is the emulator's own work per delivery).
    /// </summary>
    public sealed record Round(double Emulator, double Minimal, int Deliveries, double EmulatorCpuUs, double MinimalCpuUs);

    /// <summary>
    /// <paramref name="lanes"/> conversations, each sent <paramref name="perLane"/> messages over REST with
    /// <c>X-Twilio-Webhook-Enabled: true</c>. The emulator delivers one lane (one URL and conversation) at a time in
    /// order and lanes side by side, so the minimal loop posts each conversation's bodies in order and the
    /// conversations side by side too.
    /// </summary>
    /// <param name="durable">With a data directory, as conversations-emulator keeps one (a delivery is written to it and leaves it once answered), else in memory.</param>
    public static async Task<List<Round>> RunAsync(int lanes, int perLane, int rounds, bool durable)
    {
        var work = Directory.CreateTempSubdirectory("webhook-bench-");
        try
        {
            await using var emulator = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = durable ? Path.Combine(work.FullName, "emulator") : null);
            await using var receiver = await WebhookReceiver.StartAsync(emulator.Credentials.AuthToken);
            await ServiceWebhook.UpdateAsync(emulator.DefaultServiceSid, postWebhookUrl: new Uri(receiver.Url), filters: ["onMessageAdded"],
                method: "POST", client: EmulatorClients.Twilio(emulator));
            using var rest = EmulatorClients.Raw(emulator, useAccountToken: true);
            var conversations = new string[lanes];
            for (var i = 0; i < lanes; i++)
            {
                using var created = await rest.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", $"lane {i}")));
                created.EnsureSuccessStatusCode();
                conversations[i] = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Created>(created.Content))!.Sid;
            }

            using var minimal = new HttpClient(new SocketsHttpHandler { UseCookies = false, UseProxy = false, AllowAutoRedirect = false });
            minimal.DefaultRequestHeaders.UserAgent.ParseAdd("TwilioProxy/1.1"); // what the emulator sends

            // A warm-up of both paths, not counted.
            var warm = await EmulatorRoundAsync(rest, receiver, conversations, Math.Min(perLane, 20));
            await MinimalRoundAsync(minimal, receiver, warm.Replay);

            var results = new List<Round>();
            for (var round = 0; round < rounds; round++)
            {
                var timed = await EmulatorRoundAsync(rest, receiver, conversations, perLane);
                var cpu = Environment.CpuUsage.TotalTime;
                var baseline = await MinimalRoundAsync(minimal, receiver, timed.Replay);
                cpu = Environment.CpuUsage.TotalTime - cpu;
                var count = timed.Replay.Count;
                results.Add(new Round(count / timed.Seconds, count / baseline, count, timed.Cpu.TotalMicroseconds / count, cpu.TotalMicroseconds / count));
            }

            return results;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Holds the receiver while the messages are created (so what is timed is delivery, not the REST writes): each
    /// lane's first delivery waits there, the rest in the emulator's lane. Then releases it and times the rest until the
    /// receiver has them all; returns them, in arrival order, for the minimal loop to post again.
    /// </summary>
    private static async Task<(double Seconds, TimeSpan Cpu, List<ReceivedWebhook> Replay)> EmulatorRoundAsync(HttpClient rest, WebhookReceiver receiver,
        string[] conversations, int perLane)
    {
        var before = receiver.Count;
        var total = conversations.Length * perLane;
        receiver.Hold = true;
        await Parallel.ForEachAsync(conversations, async (conversation, cancel) =>
        {
            for (var i = 0; i < perLane; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/Conversations/{conversation}/Messages")
                {
                    Content = EmulatorClients.Form(("Body", $"message {i} of a webhook benchmark"), ("Author", "bench")),
                };
                request.Headers.Add("X-Twilio-Webhook-Enabled", "true");
                using var response = await rest.SendAsync(request, cancel);
                response.EnsureSuccessStatusCode();
            }
        });

        // An attempt times out after Twilio's 5 s: the creates must be done well before, or more than one per lane arrives held.
        await WaitForAsync(receiver, before + conversations.Length);
        var held = receiver.Count - before;
        Settle();
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        receiver.Release();
        await WaitForAsync(receiver, before + total);
        var seconds = clock.Elapsed.TotalSeconds;
        cpu = Environment.CpuUsage.TotalTime - cpu;

        var delivered = receiver.All.Skip(before).ToList();
        if (delivered.Count != total || delivered.Any(w => !w.SignatureValid || w.EventType != "onMessageAdded"))
        {
            throw new InvalidOperationException($"expected {total} validly signed onMessageAdded deliveries, got {delivered.Count}");
        }

        return (seconds, cpu, delivered.Skip(held).ToList());
    }

    /// <summary>Posts each delivery again, with its signature and idempotency token, lanes side by side; returns the seconds.</summary>
    private static async Task<double> MinimalRoundAsync(HttpClient http, WebhookReceiver receiver, List<ReceivedWebhook> deliveries)
    {
        var lanes = deliveries.GroupBy(w => w["ConversationSid"]).Select(g => g.ToList()).ToList();
        var before = receiver.Count;
        Settle();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes.Count }, async (lane, cancel) =>
        {
            foreach (var delivery in lane)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new FormUrlEncodedContent(delivery.Parameters) };
                request.Headers.Add("X-Twilio-Signature", delivery.Signature);
                request.Headers.Add("I-Twilio-Idempotency-Token", delivery.IdempotencyToken);
                using var response = await http.SendAsync(request, cancel);
                response.EnsureSuccessStatusCode(); // 403 when the signature did not hold
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        return receiver.Count - before == deliveries.Count
            ? seconds
            : throw new InvalidOperationException($"the receiver got {receiver.Count - before} of {deliveries.Count}");
    }

    /// <summary>
    /// Collects what was left to collect before a timed part, on both sides: the emulator's part follows 2,000 REST
    /// writes, whose garbage would otherwise be collected (this process's CPU, the emulator's time) while its deliveries
    /// are timed, and the minimal loop's follows none.
    /// </summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static async Task WaitForAsync(WebhookReceiver receiver, int count)
    {
        for (var wait = Stopwatch.StartNew(); receiver.Count < count; await Task.Delay(1))
        {
            if (wait.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"the receiver got {receiver.Count} of {count} deliveries");
            }
        }
    }

    private sealed record Created(string Sid);
}
