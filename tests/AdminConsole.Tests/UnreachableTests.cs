using System.Net;
using System.Net.Sockets;
using FluentAssertions;

namespace AdminConsole.Tests;

public sealed class UnreachableTests
{
    /// <summary>Credentials for an emulator that is not there: the console gets as far as calling it.</summary>
    private static readonly string Credentials = TestEmulator.WriteCredentialsFile(Twilio.ChatRooms.Emulator.EmulatorCredentials.Generate());

    [Fact]
    public async Task List_UnreachableEmulator_ExitsSixWithOneLine()
    {
        var result = await CliRunner.RunAsync("--emulator", $"http://127.0.0.1:{ClosedPort()}/emulator", "--emulator-credentials", Credentials, "list");

        result.ExitCode.Should().Be(6, result.ToString());
        result.Out.Should().BeEmpty();
        result.ErrLines.Should().ContainSingle().Which.Should().StartWith("Unreachable: ").And.Contain("127.0.0.1");
    }

    [Fact]
    public async Task List_CancelledWhileWaitingForAnswer_Exits130()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel does) but never answers
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(2));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await AdminConsole.ChatRoomsCli.RunAsync(
            ["--emulator", $"http://127.0.0.1:{port}/emulator", "--emulator-credentials", Credentials, "list"], stdout, stderr, cts.Token);

        code.Should().Be(130, stderr.ToString());
        stderr.ToString().Should().Be("Cancelled." + Environment.NewLine, "the cancellation, not the HTTP client's 100 s timeout, ended the wait");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
