using System.Net.Sockets;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// The misbehaving side of <see cref="TwilsockTestClient"/>, for the limit and back-pressure tests: a client that stops
/// reading (its socket's receive buffer small, so what it leaves unread backs up into the server soon), or that sends
/// what the SDK never would.
/// </summary>
public sealed partial class TwilsockTestClient
{
    /// <summary>
    /// <see cref="ConnectAsync(Uri, string, CancellationToken)"/> over a TCP socket whose receive buffer is
    /// <paramref name="socketReceiveBufferSize"/> bytes (the system's when null), so that what this client does not
    /// read backs up into the server soon.
    /// </summary>
    public static Task<TwilsockTestClient> ConnectAsync(Uri uri, string token, int? socketReceiveBufferSize, CancellationToken cancellationToken) =>
        ConnectCoreAsync(uri, token, socketReceiveBufferSize, null, null, cancellationToken);

    /// <summary>
    /// Stops reading from the socket, as a client that stalls: what the server sends then waits in the socket buffers
    /// and the server's queue. A read already under way finishes first, so at most one more frame arrives.
    /// </summary>
    public void PauseReading() =>
        Interlocked.CompareExchange(ref _resumed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Reads again after <see cref="PauseReading"/>: what was buffered arrives, then whatever follows.</summary>
    public void ResumeReading() => Interlocked.Exchange(ref _resumed, null)?.TrySetResult();

    /// <summary>Sends raw bytes as one websocket message (for frames the server must drop).</summary>
    public Task SendRawAsync(byte[] data, CancellationToken cancellationToken) => SendBytesAsync(data, cancellationToken);

    /// <summary>Sends the start of a websocket message and not its end (no FIN): a client that stalls in the middle of a frame.</summary>
    public Task SendPartialAsync(byte[] data, CancellationToken cancellationToken) => SendBytesAsync(data, cancellationToken, endOfMessage: false);

    private static SocketsHttpHandler SmallReceiveBuffer(int size) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = size };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}
