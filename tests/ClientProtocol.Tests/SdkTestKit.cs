using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;

namespace ClientProtocol.Tests;

/// <summary>
/// What the tests that drive Twilio's own SDK share: REST calls authenticated as a server SDK's, and reading one
/// probe event (the library on the emulator is <see cref="Twilio.ChatRooms.TestSupport.EmulatorBackedLibrary"/>).
/// </summary>
internal static class SdkTestKit
{
    internal static JsonObject One(IReadOnlyList<JsonObject> events, string name) =>
        events.Should().ContainSingle(e => (string)e["event"]! == name, string.Join('\n', events)).Subject;

    /// <summary>Posts a message over REST, as a server SDK would, and returns its SID.</summary>
    internal static async Task<string> PostMessageOverRestAsync(ConversationsEmulatorServer server, string conversationSid, string author, string body)
    {
        using var http = EmulatorClients.Raw(server);
        using var form = EmulatorClients.Form(("Author", author), ("Body", body));
        using var response = await http.PostAsync($"v1/Conversations/{conversationSid}/Messages", form, Ct);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["sid"]!;
    }
}
