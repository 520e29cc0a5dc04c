using Twilio.ChatRooms.Emulator.ClientProtocol.Sync;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>One initialised client connection as it is now: who, since when, how many Sync subscriptions, how many frames wait.</summary>
internal sealed record ConnectedClient(string ServiceSid, string Identity, DateTimeOffset Since, int Subscriptions, int QueuedFrames);

/// <summary>
/// A read-only view of the client connections for the emulator's own tools (the inspector): copies of a few numbers,
/// never the sessions themselves.
/// </summary>
internal sealed class ConnectedClients(TwilsockSessions sessions, SyncSubscriptions subscriptions)
{
    /// <summary>Every initialised connection, oldest first.</summary>
    public IReadOnlyList<ConnectedClient> Snapshot() =>
    [
        .. sessions.Listed()
            .Select(l => new ConnectedClient(l.ServiceSid, l.Identity, l.Session.Since ?? default, subscriptions.CountFor(l.Session), l.Session.QueuedFrames))
            .OrderBy(c => c.Since).ThenBy(c => c.Identity, StringComparer.Ordinal),
    ];

    /// <summary>Calls <paramref name="changed"/> whenever a connection opens or closes.</summary>
    public void OnChange(Action changed)
    {
        sessions.Opened += (_, _) => changed();
        sessions.Closed += (_, _) => changed();
    }
}
