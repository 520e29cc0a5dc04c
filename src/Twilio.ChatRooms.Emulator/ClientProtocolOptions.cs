namespace Twilio.ChatRooms.Emulator;

/// <summary>How the emulator serves Twilio's client SDKs over its twilsock websocket.</summary>
public sealed class ClientProtocolOptions
{
    /// <summary>The default of <see cref="MaxQueuedFramesPerConnection"/>.</summary>
    public const int DefaultMaxQueuedFramesPerConnection = 1024;

    private int _maxQueuedFramesPerConnection = DefaultMaxQueuedFramesPerConnection;

    /// <summary>
    /// How many frames (events, replies) may wait to be sent to one connection, beyond what its socket has taken.
    /// A client that stops reading reaches it, and its connection is then dropped (the websocket aborted, which the SDK
    /// treats as a lost connection: it reconnects and resubscribes with the last event id it saw, and the emulator
    /// replays what it missed), so it neither grows the emulator's memory nor delays anyone else. Frames queued for
    /// several connections share their bytes. 1,024 by default; at least 1. Keep it well above what a client is sent
    /// at once in answer to its own request: the SDK subscribes to up to 100 objects in one request, each confirmed by a
    /// frame, after a reconnect with the events it missed replayed on top, so a bound of a few hundred drops clients
    /// that are reading.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxQueuedFramesPerConnection
    {
        get => _maxQueuedFramesPerConnection;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxQueuedFramesPerConnection = value;
        }
    }
}
