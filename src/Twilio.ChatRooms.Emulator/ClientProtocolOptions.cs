namespace Twilio.ChatRooms.Emulator;

/// <summary>How the emulator serves Twilio's client SDKs over its twilsock websocket.</summary>
public sealed class ClientProtocolOptions
{
    /// <summary>The default of <see cref="MaxQueuedFramesPerConnection"/>.</summary>
    public const int DefaultMaxQueuedFramesPerConnection = 1024;

    private int _maxQueuedFramesPerConnection = DefaultMaxQueuedFramesPerConnection;
    private TimeSpan? _dropConnectionsEvery;

    /// <summary>
    /// How many events pushed to one connection may wait to be sent, beyond what its socket has taken.
    /// A client that stops reading reaches it, and its connection is then dropped (the websocket aborted, which the SDK
    /// treats as a lost connection: it reconnects and resubscribes with the last event id it saw, and the emulator
    /// replays what it missed), so it neither grows the emulator's memory nor delays anyone else. Frames queued for
    /// several connections share their bytes. 1,024 by default; at least 1. Only events pushed to the client count:
    /// what answers its own request (replies, the confirmations of a subscription to up to 100 objects, the events it
    /// missed, replayed) may wait on top, up to 65,536 frames, so that even a low bound does not drop a client
    /// that is reading.
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

    /// <summary>
    /// How often the emulator drops every client connection by itself (<see cref="EmulatorClientConnections.DropAll"/>,
    /// as a network failure), so that a developer can watch their front end lose its connection and reconnect. Null,
    /// the default: never. Must be more than zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or less.</exception>
    public TimeSpan? DropConnectionsEvery
    {
        get => _dropConnectionsEvery;
        set
        {
            if (value is { } every)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
            }

            _dropConnectionsEvery = value;
        }
    }
}
