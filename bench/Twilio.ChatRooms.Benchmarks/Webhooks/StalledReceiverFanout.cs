using Twilio.ChatRooms.Benchmarks.Fanout;
using Twilio.ChatRooms.Emulator;
using ServiceWebhook = Twilio.Rest.Conversations.V1.Service.Configuration.WebhookResource;

namespace Twilio.ChatRooms.Benchmarks.Webhooks;

/// <summary>
/// Fan-out latency with a post-event webhook receiver that stalls 5 s on every request, against the same emulator
/// without webhooks: the fan-out benchmark's load (raw twilsock clients subscribed to their room, open-loop sends over
/// the socket, latency from each send's scheduled time), held at one rate below saturation. A third hold, with a receiver
/// that answers at once, tells what the webhooks cost apart from the stall.
/// </summary>
internal static class StalledReceiverFanout
{
    /// <summary>Twilio gives up on an attempt after 5 s; the receiver answers no sooner.</summary>
    public static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);

    /// <summary>One hold: its latency, what was lost, and the deliveries the receiver saw.</summary>
    public sealed record Hold(Receiver Receiver, double P50, double P99, double DeliveriesPerSecond, long Lost, int SendErrors, int WebhookRequests, double WorkingSetMb);

    /// <summary>Whether the service has a post-event webhook, and how its receiver answers.</summary>
    public enum Receiver { None, AtOnce, Stalled }

    /// <summary>One round's three holds.</summary>
    public sealed record Round(Hold Without, Hold AtOnce, Hold Stalled);

    public sealed record Settings(FanoutBenchmark.Config Config, int SendsPerSecond, TimeSpan WarmUp, TimeSpan Duration, int Rounds);

    /// <summary>Each round holds all three, a fresh server process each, the order rotated round by round.</summary>
    public static async Task<List<Round>> RunAsync(Settings settings)
    {
        var results = new List<Round>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            // Rotated, so that none always runs on a warmer (or busier) machine.
            var holds = new Dictionary<Receiver, Hold>();
            foreach (var receiver in Enumerable.Range(0, 3).Select(i => (Receiver)((i + round) % 3)))
            {
                holds[receiver] = await HoldAsync(settings, receiver);
            }

            results.Add(new Round(holds[Receiver.None], holds[Receiver.AtOnce], holds[Receiver.Stalled]));
        }

        return results;
    }

    /// <summary>
    /// A receiver in this process, answering at once or after <see cref="Stall"/>, and, unless <paramref name="kind"/> is
    /// none, the emulator's service post-event webhook (<c>onMessageAdded</c>) set to it through Twilio's REST API, as an
    /// app would: every message a chat user sends over twilsock then fires it.
    /// </summary>
    public static async Task<WebhookReceiver> ConfigureAsync(FanoutServerProcess process, Receiver kind)
    {
        var credentials = EmulatorCredentials.Development; // the fan-out server's
        var receiver = await WebhookReceiver.StartAsync(credentials.AuthToken);
        receiver.Delay = kind == Receiver.Stalled ? Stall : TimeSpan.Zero;
        if (kind != Receiver.None)
        {
            await ServiceWebhook.UpdateAsync(process.ServiceSid, postWebhookUrl: new Uri(receiver.Url), filters: ["onMessageAdded"], method: "POST",
                client: EmulatorClients.Twilio(process.BaseAddress, credentials));
        }

        return receiver;
    }

    private static async Task<Hold> HoldAsync(Settings settings, Receiver kind)
    {
        var webhooks = kind != Receiver.None;
        await using var process = await FanoutServerProcess.StartAsync(FanoutServer.Emulator, serverGc: true);
        await using var receiver = await ConfigureAsync(process, kind);

        await using var load = await FanoutBenchmark.ConnectAsync(FanoutServer.Emulator, process, settings.Config, TimeSpan.FromSeconds(180));
        var drain = TimeSpan.FromSeconds(2);
        await load.RunAsync(settings.SendsPerSecond / 4, settings.WarmUp, drain);
        var step = await load.RunAsync(settings.SendsPerSecond, settings.Duration, drain);
        var memory = await process.MemoryAsync();
        if (webhooks == (receiver.Count == 0))
        {
            throw new InvalidOperationException($"webhooks {(webhooks ? "configured" : "not configured")}, yet the receiver got {receiver.Count} requests");
        }

        return new Hold(kind, step.P(50), step.P(99), step.DeliveriesPerSecond, step.Lost, step.SendErrors, receiver.Count, memory.WorkingSet / 1048576.0);
    }
}
