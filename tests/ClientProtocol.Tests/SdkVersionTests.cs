using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// The major versions of @twilio/conversations people ship: 3.x is served (every other class of these tests); 1.x (the
/// tutorial's front end pins 1.1.0, node-sdk1/) speaks another protocol, a command session over a Sync list that the
/// emulator does not serve, so it is refused at connect with an error the SDK hands to the app, never a silent hang.
/// </summary>
public sealed class SdkVersionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sdk1_ClientCreate_IsRefusedWithAnErrorTheAppSees_NotAHang()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var library = EmulatorBackedLibrary.Create(server);
        var token = (await library.GetRequiredService<ITokenIssuer>().IssueAsync("alice", Ct)).Token;

        var events = await NodeProbe.RunInAsync(NodeProbe.Sdk1Folder, "conversations-v1-probe.mjs", [server.TwilsockUri.ToString(), token], Ct);

        string Dump() => string.Join('\n', events);
        events.Should().NotContain(e => (string)e["event"]! == "timeout", Dump());
        One(events, "refused")["message"]!.GetValue<string>().Should().Contain("@twilio/conversations 1.", Dump());
    }
}
