namespace Twilio.ChatRooms.Emulator;

/// <summary>How the emulator serves Twilio's client SDKs over its twilsock websocket.</summary>
public sealed class ClientProtocolOptions
{
    /// <summary>The default of <see cref="MaxQueuedFramesPerConnection"/>.</summary>
    public const int DefaultMaxQueuedFramesPerConnection = 1024;

    /// <summary>The default of <see cref="MaxConnectionsPerIdentity"/>.</summary>
    public const int DefaultMaxConnectionsPerIdentity = 100;

    /// <summary>The default of <see cref="MaxConnectionsPerAddress"/>.</summary>
    public const int DefaultMaxConnectionsPerAddress = 1000;

    /// <summary>The default of <see cref="FrameReadTimeout"/>, in seconds.</summary>
    public const int DefaultFrameReadTimeoutSeconds = 30;

    private int _maxQueuedFramesPerConnection = DefaultMaxQueuedFramesPerConnection;
    private TimeSpan? _dropConnectionsEvery;
    private int _maxConnectionsPerIdentity = DefaultMaxConnectionsPerIdentity;
    private int _maxConnectionsPerAddress = DefaultMaxConnectionsPerAddress;
    private TimeSpan _frameReadTimeout = TimeSpan.FromSeconds(DefaultFrameReadTimeoutSeconds);

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

    /// <summary>
    /// How many client connections one user (an identity of a conversation service) may hold at once, counted from
    /// their <c>init</c>: one more is refused with transport status 429 and closed, those open are kept. 100 by default
    /// (a tab or device each); at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxConnectionsPerIdentity
    {
        get => _maxConnectionsPerIdentity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxConnectionsPerIdentity = value;
        }
    }

    /// <summary>
    /// How many client websockets one network address may hold open at once, with or without a token: one more is
    /// refused before it is upgraded (HTTP 429, Twilio's code 20429). Every loopback client shares one address, so
    /// this bounds a whole machine's tabs and test clients: 1,000 by default; at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxConnectionsPerAddress
    {
        get => _maxConnectionsPerAddress;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxConnectionsPerAddress = value;
        }
    }

    /// <summary>
    /// How long a client may take to send the rest of a frame once it has begun it: a connection whose frame is not
    /// whole by then is dropped, so a half-sent frame holds no memory for long. A connection may stay idle between
    /// frames as long as it likes (twilsock pings it). 30 seconds by default; more than zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or less.</exception>
    public TimeSpan FrameReadTimeout
    {
        get => _frameReadTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _frameReadTimeout = value;
        }
    }
}
