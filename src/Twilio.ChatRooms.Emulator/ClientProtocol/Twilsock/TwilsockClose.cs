namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>The statuses of the <c>close</c> frames the server sends, each as the SDK acts on it (twilsock.js <c>onIncomingMessage</c>).</summary>
internal static class TwilsockClose
{
    /// <summary>"Token expired": the SDK raises <c>tokenExpired</c> and waits for a new token.</summary>
    public const int TokenExpired = 410;

    /// <summary>
    /// "Offloaded", what Twilio's edge sends when it moves a connection elsewhere: the SDK closes the socket and
    /// reconnects (<c>receiveOffload</c>).
    /// </summary>
    public const int Offload = 308;

    /// <summary>The emulator's own: no <c>init</c> within <see cref="TwilsockOptions.InitTimeout"/>.</summary>
    public const int NoInit = 4001;
}
