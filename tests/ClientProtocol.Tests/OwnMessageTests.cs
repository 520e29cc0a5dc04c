using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// A message is a participant's own by its participant, not by its author's name: a user named like an SMS
/// participant's phone number, or <c>system</c> (the author of what the server sends), may edit and delete only what
/// they sent themselves, through Twilio's own SDK, while the participant role lets everyone edit their own.
/// </summary>
public sealed class OwnMessageTests
{
    private const string Phone = "+15551234567";
    private const string Proxy = "+15550000000";

    [Theory]
    [InlineData(Phone)]
    [InlineData("system")]
    public async Task UserNamedLikeAnotherAuthor_CannotEditOrDeleteTheirMessages_ButEditsTheirOwn(string identity)
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.Admin.CreateRoomAsync("general", Ct);
        await chat.Provisioner.ProvisionAsync(identity, Ct);
        var v1 = server.BaseAddress.ToString().TrimEnd('/') + "/v1";
        using var http = EmulatorClients.Raw(server);
        async Task<JsonNode> PostAsync(string url, params (string Key, string Value)[] fields)
        {
            using var form = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
            using var response = await http.PostAsync(new Uri(url), form, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.IsSuccessStatusCode.Should().BeTrue(body);
            return JsonNode.Parse(body)!;
        }

        await PostAsync($"{v1}/Conversations/{room.Sid}/Participants", ("MessagingBinding.Address", Phone), ("MessagingBinding.ProxyAddress", Proxy));
        var texted = await PostAsync($"{server.BaseAddress.ToString().TrimEnd('/')}/sms/inbound", ("From", Phone), ("To", Proxy), ("Body", "from the phone"));
        var sent = await PostAsync($"{v1}/Conversations/{room.Sid}/Messages", ("Body", "from the server"));
        var phoneIndex = (int)texted["messages"]![0]!["index"]!;
        var serverIndex = (int)sent["index"]!;
        ((string?)sent["author"]).Should().Be("system");
        ((string?)sent["participant_sid"]).Should().BeNull("a message the server sends has no participant, whoever is named system");

        var events = await RunProbeAsync(server, "conversations-own-message-probe.mjs",
            [await chat.TokenAsync(identity), room.Sid, $"phone={phoneIndex},server={serverIndex}"]);

        string Dump() => string.Join('\n', events);
        foreach (var refused in new[] { "phoneEdit", "phoneDelete", "serverEdit", "serverDelete" })
        {
            One(events, refused)["ok"]!.GetValue<bool>().Should().BeFalse($"{refused}: {Dump()}");
        }

        One(events, "ownEdit")["ok"]!.GetValue<bool>().Should().BeTrue(Dump());
        var messages = JsonNode.Parse(await http.GetStringAsync(new Uri($"{v1}/Conversations/{room.Sid}/Messages"), Ct))!["messages"]!.AsArray();
        messages.Select(m => (string)m!["body"]!).Should().Equal("from the phone", "from the server", "my own words, edited");
    }
}
