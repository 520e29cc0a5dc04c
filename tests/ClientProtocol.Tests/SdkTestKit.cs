using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;

namespace ClientProtocol.Tests;

/// <summary>
/// What the tests that drive Twilio's own SDK share: running a probe against the emulator, REST calls authenticated as
/// a server SDK's, and reading one probe event (the library on the emulator is
/// <see cref="Twilio.ChatRooms.TestSupport.ChatOnEmulator"/>).
/// </summary>
internal static class SdkTestKit
{
    /// <summary>
    /// Runs <paramref name="script"/> of <c>node/</c> (or of <paramref name="folder"/>) to its end, with the emulator's
    /// twilsock address first and then <paramref name="arguments"/>, and returns its events; a probe that printed an
    /// <c>error</c> or a <c>timeout</c> fails the test (<see cref="ShouldNotHaveFailed"/>).
    /// </summary>
    internal static async Task<IReadOnlyList<JsonObject>> RunProbeAsync(
        ConversationsEmulatorServer server, string script, IEnumerable<string> arguments, string? folder = null)
    {
        var events = await NodeProbe.RunInAsync(folder ?? NodeProbe.Folder, script, [server.TwilsockUri.ToString(), .. arguments], Ct);
        ShouldNotHaveFailed(events);
        return events;
    }

    /// <summary>Fails the test, showing every event, when the probe printed an <c>error</c> or a <c>timeout</c>.</summary>
    internal static void ShouldNotHaveFailed(IReadOnlyList<JsonObject> events) =>
        events.Should().NotContain(e => (string)e["event"]! == "error" || (string)e["event"]! == "timeout", string.Join('\n', events));

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
