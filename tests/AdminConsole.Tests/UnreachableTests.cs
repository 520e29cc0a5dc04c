using System.Net;
using System.Net.Sockets;
using FluentAssertions;

namespace AdminConsole.Tests;

public sealed class UnreachableTests
{
    [Fact]
    public async Task List_UnreachableEmulator_ExitsSixWithOneLine()
    {
        var result = await CliRunner.RunAsync("--emulator", $"http://127.0.0.1:{ClosedPort()}/emulator", "list");

        result.ExitCode.Should().Be(6, result.ToString());
        result.Out.Should().BeEmpty();
        result.ErrLines.Should().ContainSingle().Which.Should().StartWith("Unreachable: ").And.Contain("127.0.0.1");
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
