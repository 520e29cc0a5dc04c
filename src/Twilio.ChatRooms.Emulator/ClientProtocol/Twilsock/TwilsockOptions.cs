namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>How the twilsock face treats each connection.</summary>
internal sealed class TwilsockOptions
{
    /// <summary>How often the server sends <c>ping</c> (the SDK only acknowledges it; Twilio's Kotlin client watches for it every 45 s).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before a token expires the server sends <c>client_update token_about_to_expire</c> (Sync's docs: about 3 minutes).</summary>
    public TimeSpan TokenAboutToExpireLead { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Frames queued for one connection beyond which it is dropped: a client that stops reading is dropped instead of
    /// growing the server's memory or delaying anyone else. Set from <see cref="ClientProtocolOptions.MaxQueuedFramesPerConnection"/>.
    /// </summary>
    public int MaxQueuedFrames { get; set; } = ClientProtocolOptions.DefaultMaxQueuedFramesPerConnection;

    /// <summary>The largest frame accepted from a client; larger ones are refused with a transport status 413.</summary>
    public int MaxFrameBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// The largest frame accepted before <c>init</c> succeeded: the SDK sends nothing but <c>init</c> (a token of a few
    /// KB) until then, and a larger frame ends the connection, so that no one holds the server's memory without a token.
    /// </summary>
    public int MaxFrameBytesBeforeInit { get; set; } = 16 * 1024;

    /// <summary>How long the rest of a frame may take once it began. Set from <see cref="ClientProtocolOptions.FrameReadTimeout"/>.</summary>
    public TimeSpan FrameReadTimeout { get; set; } = TimeSpan.FromSeconds(ClientProtocolOptions.DefaultFrameReadTimeoutSeconds);

    /// <summary>Initialised connections one identity may hold. Set from <see cref="ClientProtocolOptions.MaxConnectionsPerIdentity"/>.</summary>
    public int MaxConnectionsPerIdentity { get; set; } = ClientProtocolOptions.DefaultMaxConnectionsPerIdentity;

    /// <summary>Websockets one address may hold open. Set from <see cref="ClientProtocolOptions.MaxConnectionsPerAddress"/>.</summary>
    public int MaxConnectionsPerAddress { get; set; } = ClientProtocolOptions.DefaultMaxConnectionsPerAddress;

    /// <summary>How long a connection may stay open without a successful <c>init</c>.</summary>
    public TimeSpan InitTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
