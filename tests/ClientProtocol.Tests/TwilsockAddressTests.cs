using FluentAssertions;
using Twilio.ChatRooms.Emulator;

namespace ClientProtocol.Tests;

/// <summary>The one way the twilsock address is made from an emulator's root, used by the server and the tool.</summary>
public sealed class TwilsockAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:4010/emulator", "ws://127.0.0.1:4010/emulator/twilsock")]
    [InlineData("http://127.0.0.1:4010/emulator/", "ws://127.0.0.1:4010/emulator/twilsock")]
    [InlineData("https://chat.example/emulator", "wss://chat.example/emulator/twilsock")]
    [InlineData("http://[::1]:5000/", "ws://[::1]:5000/twilsock")]
    public void TwilsockUriFor_AnEmulatorRoot_GivesItsWebSocketAddress(string root, string expected)
    {
        ConversationsEmulatorServer.TwilsockUriFor(new Uri(root)).ToString().Should().Be(expected);
    }

    [Fact]
    public async Task TwilsockUri_OfAStartedServer_IsTheOneMadeFromItsBaseAddress()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        server.TwilsockUri.Should().Be(new Uri($"ws://{server.BaseAddress.Authority}/emulator/twilsock"));
    }
}
