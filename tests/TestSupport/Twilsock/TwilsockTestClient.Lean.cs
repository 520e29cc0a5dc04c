using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>The lean mode of <see cref="TwilsockTestClient"/>, for the benchmarks' load generator.</summary>
public sealed partial class TwilsockTestClient
{
    /// <summary>
    /// A load generator's client: each notification's payload is handed to <paramref name="onNotification"/> (valid
    /// during the call only) instead of being decoded, kept in <see cref="Notifications"/> and acknowledged (the server
    /// does not wait for acknowledgements), and a reply is decoded without its payload. <paramref name="onEnded"/> is
    /// called once the connection has ended, whoever ended it.
    /// </summary>
    public static Task<TwilsockTestClient> ConnectAsync(Uri uri, string token, int? socketReceiveBufferSize,
        Action<ReadOnlyMemory<byte>> onNotification, Action onEnded, CancellationToken cancellationToken) =>
        ConnectCoreAsync(uri, token, socketReceiveBufferSize, onNotification, onEnded, cancellationToken);

    // The lean mode: a notification's payload straight to the handler, a reply's header only; false for anything else.
    private bool DispatchLean(ReadOnlyMemory<byte> frame)
    {
        if (!TwilsockWire.TrySplit(frame.Span, out var header, out var payload))
        {
            return false;
        }

        switch (TwilsockWire.Method(header))
        {
            case "notification":
                _onNotification!(frame[(frame.Length - payload.Length)..]);
                return true;
            case "reply":
                Dispatch(new TwilsockTestFrame(JsonNode.Parse(header)!.AsObject(), null));
                return true;
            default:
                return false;
        }
    }
}
