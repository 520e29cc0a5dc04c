using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>This machine's addresses, for tests of what a client from another machine is refused.</summary>
public static class NetworkAddresses
{
    /// <summary>A TCP port on loopback that nobody listens on now, for a server a test starts.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An IPv4 address of this machine that is not loopback; the test is skipped on a machine without one.</summary>
    public static IPAddress NonLoopback()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null)
        {
            Assert.Skip("This machine has no IPv4 address other than loopback, so no non-loopback client can be made.");
        }

        return address;
    }
}
