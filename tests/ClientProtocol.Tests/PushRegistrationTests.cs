using System.Net;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// Push registrations made with the real SDK (client.setPushRegistrationId) are accepted and listed in the emulator's
/// inspector, with the user and the device token, until the SDK takes them back; nothing is pushed.
/// </summary>
public sealed class PushRegistrationTests
{
    [Fact]
    public async Task SetPushRegistrationId_IsListedInTheInspector_UntilUnset()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var library = EmulatorBackedLibrary.Create(server);
        var identity = "dee-" + Guid.NewGuid().ToString("N")[..8];
        var device = "device-" + Guid.NewGuid().ToString("N");
        using var http = new HttpClient
        {
            BaseAddress = new Uri(server.BaseAddress.ToString().TrimEnd('/') + "/"),
            DefaultRequestHeaders = { Authorization = EmulatorClients.Basic(server.Credentials, useAccountToken: true) },
        };

        await using var probe = await NodeProbe.StartAsync("conversations-push-probe.mjs",
            [server.TwilsockUri.ToString(), await library.TokenAsync(identity), device], Ct);
        (await probe.NextAsync("setPushRegistrationId"))["ok"]!.GetValue<bool>().Should().BeTrue(string.Join('\n', probe.Events));

        // The SDK registers in the background after it answers: wait until the inspector lists it.
        var listed = await InspectorUntilAsync(http, page => page.Contains(device, StringComparison.Ordinal));
        listed.Should().Contain(WebUtility.HtmlEncode(identity)).And.Contain("fcm");
        await probe.SendAsync("go");

        (await probe.NextAsync("unsetPushRegistrationId"))["ok"]!.GetValue<bool>().Should().BeTrue(string.Join('\n', probe.Events));
        await InspectorUntilAsync(http, page => !page.Contains(device, StringComparison.Ordinal));
        await probe.SendAsync("go");
        var events = await probe.FinishAsync();
        ShouldNotHaveFailed(events);
    }

    /// <summary>
    /// The inspector's live part, read again until <paramref name="done"/> holds; a wait that never ends is cut off with
    /// the probe's own deadline (90 s), only so that a broken emulator fails the test instead of hanging it.
    /// </summary>
    private static async Task<string> InspectorUntilAsync(HttpClient http, Func<string, bool> done)
    {
        using var hung = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        hung.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            var page = await http.GetStringAsync("inspector/live", hung.Token);
            if (done(page))
            {
                return page;
            }

            await Task.Delay(100, hung.Token);
        }
    }
}
