using FluentAssertions;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// The major versions of @twilio/conversations people ship: 3.x is served (every other class of these tests); 2.x
/// (node-sdk2/, 2.7.0) speaks 3.x's protocol and runs a chat's core flow here; 1.x (the tutorial's front end pins 1.1.0,
/// node-sdk1/) speaks another protocol, a command session over a Sync list that the emulator does not serve, so it is
/// refused at connect with an error the SDK hands to the app, never a silent hang.
/// </summary>
public sealed class SdkVersionTests
{
    [Fact]
    public async Task Sdk2_ConnectsListsSendsReceivesTypes_AndReadsWithTheOtherSeeingItsReadHorizon()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var general = await chat.RoomWithAsync("general", "alice", "bob");

        var events = await RunProbeAsync(chat.Server, "conversations-v2-probe.mjs",
            [await chat.TokenAsync("alice"), await chat.TokenAsync("bob"), general.Sid], NodeProbe.Sdk2Folder);

        var connected = One(events, "connected");
        ((string)connected["version"]!).Should().StartWith("2.");
        ((string)connected["bob"]!).Should().Be("connected");
        One(events, "conversations")["sids"]!.AsArray().Select(s => (string)s!).Should().Equal(general.Sid);
        One(events, "conversations")["statuses"]!.AsArray().Select(s => (string)s!).Should().Equal("joined");
        One(events, "typingStarted")["identity"]!.GetValue<string>().Should().Be("alice");
        var added = One(events, "messageAdded");
        added["body"]!.GetValue<string>().Should().Be("hello from 2.x");
        added["author"]!.GetValue<string>().Should().Be("alice");
        added["index"]!.GetValue<int>().Should().Be(added["sent"]!.GetValue<int>());
        One(events, "aliceSawBobRead")["lastReadMessageIndex"]!.GetValue<int>().Should().Be(added["index"]!.GetValue<int>());
        One(events, "unreadAfter")["count"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Sdk1_ClientCreate_IsRefusedWithAnErrorTheAppSees_NotAHang()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var library = EmulatorBackedLibrary.Create(server);
        var token = await library.TokenAsync("alice");

        var events = await NodeProbe.RunInAsync(NodeProbe.Sdk1Folder, "conversations-v1-probe.mjs", [server.TwilsockUri.ToString(), token], Ct);

        string Dump() => string.Join('\n', events);
        events.Should().NotContain(e => (string)e["event"]! == "timeout", Dump());
        One(events, "refused")["message"]!.GetValue<string>().Should().Contain("@twilio/conversations 1.", Dump());
    }
}
