namespace Twilio.ChatRooms.Emulator;

/// <summary>How the emulator ends the client connections it is told to drop (<see cref="EmulatorClientConnections.DropAll"/>).</summary>
public enum ClientConnectionDrop
{
    /// <summary>
    /// The socket is cut with no close frame, as a network failure or a crashed server would cut it. The SDK reports
    /// <c>connectionStateChanged</c> "connecting" and reconnects by itself, after about a second, then backing off.
    /// </summary>
    NetworkFailure,

    /// <summary>
    /// twilsock's <c>close</c> frame with status 308, what Twilio's edge sends when it moves a connection elsewhere (a
    /// deploy), then the websocket's closing handshake. The SDK reports "disconnecting", then "connecting", and
    /// reconnects by itself as after a network failure.
    /// </summary>
    Offload,
}
