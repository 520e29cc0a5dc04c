using System.Net.Http.Json;
using System.Text.Json;
using Twilio.ChatRooms.TestSupport;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// A pending webhook is written with the change that caused it: a kill -9 of a real emulator process loses none, and
/// after the restart what was already delivered is not sent again while what was not goes out, in order.
/// </summary>
public sealed class WebhookDurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-webhooks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task KillMinus9_WithDeliveriesPending_LosesNoneAndDoublesNoneDelivered()
    {
        var (first, baseAddress) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        var credentials = EmulatorClients.CredentialsIn(_directory);
        await using var receiver = await WebhookReceiver.StartAsync(credentials.AuthToken, Ct);
        string room;
        try
        {
            using var http = EmulatorClients.Raw(baseAddress, credentials);
            room = (await PostAsync(http, "v1/Conversations", false, ("FriendlyName", "durable hooks"))).GetProperty("sid").GetString()!;
            await PostAsync(http, $"v1/Conversations/{room}/Webhooks", false, ("Target", "webhook"), ("Configuration.Url", receiver.Url),
                ("Configuration.Filters", "onMessageAdded"));

            await PostAsync(http, $"v1/Conversations/{room}/Messages", true, ("Body", "A"));
            await receiver.NextAsync(w => w["Body"] == "A", Ct);
            await DeliveredAsync(http, "A");   // A is done: out of the store

            // B goes out and is held unanswered (the host mode waits 10 minutes, not Twilio's 5 seconds, for an answer),
            // C waits behind it on the lane; both are written before the kill.
            receiver.Hold = true;
            await PostAsync(http, $"v1/Conversations/{room}/Messages", true, ("Body", "B"));
            await PostAsync(http, $"v1/Conversations/{room}/Messages", true, ("Body", "C"));
            await receiver.NextAsync(w => w["Body"] == "B", Ct);
        }
        finally
        {
            EmulatorProcess.Kill(first);
            first.Dispose();
        }

        receiver.Release();
        var (second, _) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            await receiver.NextAsync(w => w["Body"] == "C", Ct);
        }
        finally
        {
            second.CloseInput();  // the emulator host stops when its input closes
            try
            {
                await second.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
            }
            finally
            {
                second.Dispose();
            }
        }

        // Lanes are in order: had A been left pending it would have come again before C.
        var bodies = receiver.All.Select(w => w["Body"]).ToList();
        bodies.Should().Equal("A", "B", "B", "C");
        var b = receiver.All.Where(w => w["Body"] == "B").ToList();
        b[1].IdempotencyToken.Should().Be(b[0].IdempotencyToken, "the resent delivery is the same one");
        receiver.All.Should().OnlyContain(w => w.SignatureValid);
    }

    private static async Task DeliveredAsync(HttpClient http, string body)
    {
        while (true)
        {
            var list = await http.GetFromJsonAsync<JsonElement>("webhooks/deliveries", Ct);
            if (list.GetProperty("deliveries").EnumerateArray().Any(d =>
                d.GetProperty("outcome").GetString() == "delivered" && d.GetProperty("payload").GetProperty("Body").GetString() == body))
            {
                return;
            }

            await Task.Delay(20, Ct);
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, bool webhooks, params (string Key, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = EmulatorClients.Form(fields) };
        if (webhooks)
        {
            request.Headers.Add("X-Twilio-Webhook-Enabled", "true");
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
