using System.Collections.Concurrent;
using System.Net;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// How many twilsock websockets each client address holds open, token or not, so that one address cannot hold more
/// than <see cref="TwilsockOptions.MaxConnectionsPerAddress"/> (each costs the server a socket and its buffers).
/// </summary>
internal sealed class TwilsockAddresses
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>How many websockets <paramref name="address"/> holds open.</summary>
    public int Count(IPAddress address) => _open.TryGetValue(Normal(address), out var count) ? count : 0;

    /// <summary>Counts one more websocket of <paramref name="address"/>; false, counting nothing, when it holds <paramref name="limit"/> already.</summary>
    public bool TryOpen(IPAddress address, int limit)
    {
        address = Normal(address);
        while (true)
        {
            if (_open.TryGetValue(address, out var count))
            {
                if (count >= limit)
                {
                    return false;
                }

                if (_open.TryUpdate(address, count + 1, count))
                {
                    return true;
                }
            }
            else if (_open.TryAdd(address, 1))
            {
                return true;
            }
        }
    }

    /// <summary>Counts one websocket of <paramref name="address"/> (opened by <see cref="TryOpen"/>) closed.</summary>
    public void Close(IPAddress address)
    {
        address = Normal(address);
        while (_open.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, count)) : _open.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    // An IPv4 client on a dual-stack socket is the same client as on an IPv4 one.
    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
