using FluentAssertions;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// Changes made by Twilio's own @twilio/conversations SDK fire the emulator's webhooks as Twilio's do: reported with
/// Source SDK and the user's identity, signed so that the Twilio SDK's <c>RequestValidator</c> accepts them.
/// </summary>
public sealed class WebhookSdkTests
{
    [Fact]
    public async Task ChangesMadeWithTheRealSdk_FireSignedPostEventWebhooks_WithSourceSdkAndTheClientIdentity()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        var identity = "ada-" + Guid.NewGuid().ToString("N")[..8];
        var room = await chat.RoomWithAsync("hooked", identity);
        await ConfigureAsync(server, receiver.Url, "onMessageAdded", "onMessageUpdated", "onMessageRemoved");

        var events = await RunProbeAsync(server, "conversations-webhook-probe.mjs", [await chat.TokenAsync(identity), room.Sid]);
        var sid = (string)One(events, "changed")["sid"]!;

        var seen = new List<ReceivedWebhook>();
        for (var i = 0; i < 3; i++)
        {
            seen.Add(await receiver.NextAsync(w => w.Parameters.GetValueOrDefault("MessageSid") == sid, Ct));
        }

        seen.Select(w => w.EventType).Should().Equal("onMessageAdded", "onMessageUpdated", "onMessageRemoved");
        seen.Select(w => w["Body"]).Should().Equal("from the sdk", "edited in the sdk", "edited in the sdk");
        seen.Should().OnlyContain(w => w.SignatureValid && w["Source"] == "SDK" && w["ClientIdentity"] == identity
            && w["ConversationSid"] == room.Sid && w["Author"] == identity);
    }

    [Fact]
    public async Task APreEventRefusal_ReachesTheRealSdksSendMessageAsAnError_AndNothingIsStored()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        receiver.Answer = w => w.EventType == "onMessageAdd" && w["Body"].Contains("blocked", StringComparison.Ordinal) ? (403, null) : (200, null);
        var identity = "bea-" + Guid.NewGuid().ToString("N")[..8];
        var room = await chat.RoomWithAsync("moderated", identity);
        await ConfigureAsync(server, receiver.Url, "onMessageAdd");

        var events = await RunProbeAsync(server, "conversations-webhook-probe.mjs",
            [await chat.TokenAsync(identity), room.Sid, "a blocked word", "fine words"]);

        One(events, "send:a blocked word")["ok"]!.GetValue<bool>().Should().BeFalse(string.Join('\n', events));
        One(events, "send:fine words")["ok"]!.GetValue<bool>().Should().BeTrue(string.Join('\n', events));
        using var http = EmulatorClients.Raw(server);
        var stored = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(
            new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages"), Ct))!["messages"]!.AsArray();
        stored.Select(m => (string)m!["body"]!).Should().Equal("fine words");
        var asked = receiver.All.Where(w => w.EventType == "onMessageAdd").ToList();
        asked.Select(w => w["Body"]).Should().Equal("from the sdk", "a blocked word", "fine words");
        asked.Should().OnlyContain(w => w.SignatureValid && w["Source"] == "SDK" && w["ClientIdentity"] == identity);
    }

    [Fact]
    public async Task ParticipantUpdateAttributesFromTheRealSdk_GoesThroughOnParticipantUpdate_ARefusalReachesTheSdk_AndChangesNothing()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        await using var receiver = await WebhookReceiver.StartAsync(server.Credentials.AuthToken, Ct);
        receiver.Answer = w => w.EventType == "onParticipantUpdate" && w["Attributes"].Contains("blocked", StringComparison.Ordinal) ? (403, null) : (200, null);
        var identity = "cy-" + Guid.NewGuid().ToString("N")[..8];
        var room = await chat.RoomWithAsync("seated", identity);
        await ConfigureAsync(server, receiver.Url, "onParticipantUpdate", "onParticipantUpdated");

        var events = await RunProbeAsync(server, "conversations-participant-webhook-probe.mjs", [await chat.TokenAsync(identity), room.Sid]);

        string Dump() => string.Join('\n', events);
        One(events, "refused")["ok"]!.GetValue<bool>().Should().BeFalse(Dump());
        One(events, "kept")["ok"]!.GetValue<bool>().Should().BeTrue(Dump());
        One(events, "seen")["attributes"]!["note"]!.GetValue<string>().Should().Be("fine");
        var updated = await receiver.NextAsync(w => w.EventType == "onParticipantUpdated", Ct);
        updated["Attributes"].Should().Be("{\"note\":\"fine\"}");
        updated["Source"].Should().Be("SDK");
        var asked = receiver.All.Where(w => w.EventType == "onParticipantUpdate").ToList();
        asked.Select(w => w["Attributes"]).Should().Equal("{\"note\":\"blocked\"}", "{\"note\":\"fine\"}");
        asked.Should().OnlyContain(w => w.SignatureValid && w["Source"] == "SDK" && w["ClientIdentity"] == identity && w["ConversationSid"] == room.Sid);
        receiver.All.Where(w => w.EventType == "onParticipantUpdated").Should().ContainSingle("the refused change was not made");
    }

    /// <summary>Sets the default service's webhook configuration over REST, as a back end would.</summary>
    internal static async Task ConfigureAsync(ConversationsEmulatorServer server, string url, params string[] filters)
    {
        using var http = EmulatorClients.Raw(server);
        var fields = new List<KeyValuePair<string, string>> { new("PostWebhookUrl", url), new("PreWebhookUrl", url), new("Method", "POST") };
        fields.AddRange(filters.Select(f => new KeyValuePair<string, string>("Filters", f)));
        using var form = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(
            new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Services/{server.DefaultServiceSid}/Configuration/Webhooks"), form, Ct);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync(Ct));
    }
}
