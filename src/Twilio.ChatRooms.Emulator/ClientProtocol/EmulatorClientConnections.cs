using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace Twilio.ChatRooms.Emulator;

/// <summary>
/// The client connections of the emulator (Twilio's client SDKs over its twilsock websocket), to drop as Twilio's edge
/// drops them: so that a test, or a developer watching their front end, sees the SDK reconnect, resubscribe and get
/// what it missed. Read it from <see cref="ConversationsEmulatorServer.ClientConnections"/>, or resolve it in a host
/// that calls <c>AddConversationsEmulator</c>. Thread-safe.
/// </summary>
public sealed class EmulatorClientConnections
{
    private readonly TwilsockSessions _sessions;
    private readonly ILogger _logger;

    internal EmulatorClientConnections(TwilsockSessions sessions, ILogger<EmulatorClientConnections> logger)
    {
        _sessions = sessions;
        _logger = logger;
    }

    /// <summary>How many client connections are open and initialised (their access token accepted).</summary>
    public int Count => _sessions.Count;

    /// <summary>
    /// Drops every initialised client connection. Nothing is lost: each SDK reconnects by itself on a new socket and
    /// resubscribes with the last event ids it saw, and the emulator replays what happened in between, once.
    /// </summary>
    /// <param name="how">Whether to cut the socket (the default) or to close it as Twilio's edge does when it moves a connection.</param>
    /// <returns>How many connections were dropped.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="how"/> is not a <see cref="ClientConnectionDrop"/> value.</exception>
    public int DropAll(ClientConnectionDrop how = ClientConnectionDrop.NetworkFailure)
    {
        if (!Enum.IsDefined(how))
        {
            throw new ArgumentOutOfRangeException(nameof(how), how, "Not a ClientConnectionDrop value.");
        }

        var sessions = _sessions.All();
        foreach (var session in sessions)
        {
            if (how == ClientConnectionDrop.Offload)
            {
                session.Close(TwilsockClose.Offload, "Offloaded");
            }
            else
            {
                session.Abort();
            }
        }

        TwilsockLog.Dropped(_logger, sessions.Count, how);
        return sessions.Count;
    }
}
