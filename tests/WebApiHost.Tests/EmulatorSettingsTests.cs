namespace WebApiHost.Tests;

/// <summary>
/// The emulator's own settings (<c>Emulator:ClientProtocol:*</c>, <c>Emulator:Faults:*</c>, as its README lists them)
/// work on the web host as they do in <c>conversations-emulator</c>: one reading of the section for both.
/// </summary>
public sealed class EmulatorSettingsTests
{
    [Fact]
    public async Task DropConnectionsEvery_OnTheWebHost_DropsTheTwilsockConnection()
    {
        await using var host = new ChatHostFactory
        {
            UsernameOnly = true,
            Settings = new Dictionary<string, string> { ["Emulator:ClientProtocol:DropConnectionsEvery"] = "00:00:01" },
        };
        var user = await SignedInUser.LogInAsync(host, SignedInUser.NewName("dropped"));
        // Only the initialised connection (init answered) is dropped, so nothing else is sent on it that could race the drop.
        await using var twilsock = await Twilio.ChatRooms.TestSupport.TwilsockTestClient.ConnectAsync(HostTwilsock.Uri(host), user.Token, Ct);
        twilsock.InitReply.StatusCode.Should().Be(200);

        // Waits for the state, not for a time: the bound only stops a host that never drops from hanging the run.
        var closed = await twilsock.Closed.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        closed.Should().BeNull("a drop aborts the socket, as a network failure would, with no twilsock close frame");
    }

    [Fact]
    public async Task ABadEmulatorSetting_StopsTheHostAtStart_WithOneLineNamingIt()
    {
        using var data = new TemporaryDirectory("bad-emulator-setting-");

        var run = await HostProcess.RunToExitAsync(data.Path, new Dictionary<string, string>
        {
            ["Emulator__Faults__ServiceUnavailableRate"] = "2",
            ["Emulator__ClientProtocol__DropConnectionsEvery"] = "soon",
        });

        run.ExitCode.Should().Be(1, run.Output);
        run.Output.Should().Contain("Not started:").And.Contain("Emulator:Faults:ServiceUnavailableRate is '2'")
            .And.Contain("Emulator:ClientProtocol:DropConnectionsEvery is 'soon'")
            .And.NotContain("Unhandled exception").And.NotContain("   at ").And.NotContain("Now listening");
    }
}
