namespace Twilio.ChatRooms.Emulator;

/// <summary>Configures the Conversations emulator.</summary>
public sealed class ConversationsEmulatorOptions
{
    /// <summary>
    /// The credentials the emulator accepts. Leave null (the default) to have them generated at random: kept in
    /// <c>{DataDirectory}/emulator-credentials.json</c> (<see cref="EmulatorCredentials.FileName"/>, readable by its
    /// owner only) and reused on later starts, or, without a data directory, new for each process. Once the emulator
    /// is configured this holds the credentials in use, so a host reads them from
    /// <c>IOptions&lt;ConversationsEmulatorOptions&gt;</c>. Well-known values (<see cref="EmulatorCredentials.Development"/>)
    /// are refused together with <see cref="AllowRemoteClients"/>.
    /// </summary>
    public EmulatorCredentials? Credentials { get; set; }

    /// <summary>
    /// Whether clients other than loopback ones (127.0.0.0/8, ::1) may use the emulator. False by default: anyone else
    /// gets 403 with Twilio's error body (code 20403), whatever address the server is bound to. The emulator is meant
    /// for one machine; turn this on only on a network you trust, never with well-known credentials (the start fails).
    /// </summary>
    public bool AllowRemoteClients { get; set; }

    /// <summary>
    /// Where clients reach the host the emulator is mounted in, such as <c>http://localhost:5000</c> (scheme, host and
    /// port; the mount's path is added): the URLs the emulator writes (resource <c>url</c>s, paging URLs) start with it,
    /// never with the request's <c>Host</c> header. Null, the default: the server's first listening address, with a
    /// wildcard (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>) read as <c>localhost</c>.
    /// </summary>
    public Uri? PublicAddress { get; set; }

    /// <summary>
    /// Browser origins, besides loopback ones (<c>http://localhost:{any port}</c>, <c>127.0.0.1</c>, <c>[::1]</c>) and
    /// that of <see cref="PublicAddress"/>,
    /// allowed to open the real-time connection (<c>{prefix}/twilsock</c>): a request to it whose <c>Origin</c> header
    /// names any other origin gets 403,
    /// so a web page elsewhere cannot use a developer's emulator through their browser. Requests without
    /// <c>Origin</c> (not from a browser) are not affected.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>How the twilsock websocket of Twilio's client SDKs is served: the per-connection send bound, and drops at an interval.</summary>
    public ClientProtocolOptions ClientProtocol { get; } = new();

    /// <summary>Faults to inject into requests; none by default. They can be changed while the emulator runs.</summary>
    public EmulatorFaults Faults { get; } = new();

    /// <summary>
    /// Where the emulator keeps its state durably: <c>{DataDirectory}/conversations-emulator.db</c> (SQLite; the directory is
    /// created), and its generated credentials. Null, the default, keeps the state in memory only.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// A seed file (JSON or YAML: roles, users, conversations with participants and messages; the emulator's README shows it)
    /// applied while the emulator starts, when it holds no user and no conversation yet, so a kept state is never seeded
    /// twice. A file that cannot be read, or that Twilio's rules refuse, stops the start. Null, the default, seeds nothing.
    /// </summary>
    public string? SeedFile { get; set; }

    /// <summary>
    /// The name of a snapshot taken when the emulator stops (after it stopped serving), replacing an older one of that
    /// name, to restore later (<c>POST {prefix}/admin/snapshots/{name}/restore</c>). Kept in
    /// <c>{DataDirectory}/snapshots/</c>; without a data directory it would go with the process. Null, the default, takes none.
    /// </summary>
    public string? SnapshotOnExit { get; set; }

    /// <summary>
    /// How long a webhook call may take: Twilio's 5 seconds. Internal, for tests that hold a receiver's answer and must
    /// not race the emulator giving up.
    /// </summary>
    internal TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads the emulator's settings from a configuration section (usually <c>Emulator</c>), the same way wherever the
    /// emulator runs: <c>Faults:Latency</c> (a TimeSpan), <c>Faults:LatencyJitter</c>, <c>Faults:TooManyRequestsRate</c>,
    /// <c>Faults:ServiceUnavailableRate</c>, <c>Faults:EnforceTwilioRateLimits</c>,
    /// <c>ClientProtocol:MaxQueuedFramesPerConnection</c>, <c>ClientProtocol:DropConnectionsEvery</c> (a TimeSpan),
    /// <c>ClientProtocol:MaxConnectionsPerIdentity</c>, <c>ClientProtocol:MaxConnectionsPerAddress</c>,
    /// <c>ClientProtocol:FrameReadTimeout</c> (a TimeSpan), <c>SeedFile</c>, <c>SnapshotOnExit</c>, <c>AllowRemoteClients</c> and <c>AllowedOrigins</c> (a list). A key that is absent leaves its option as it is.
    /// Where the state is kept (<see cref="DataDirectory"/>), the <see cref="Credentials"/> and the
    /// <see cref="PublicAddress"/> are the caller's to set: their defaults depend on where the emulator runs.
    /// </summary>
    /// <param name="section">The configuration section.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">
    /// Values that cannot be read or are out of range; <see cref="Microsoft.Extensions.Options.OptionsValidationException.Failures"/>
    /// has one sentence for each, naming its key (<c>Emulator:Faults:Latency is '-1': ...</c>). Called while options
    /// are built (<c>AddConversationsEmulator(o => o.Bind(section))</c>), that fails the start's validation.
    /// </exception>
    public void Bind(Microsoft.Extensions.Configuration.IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Hosting.EmulatorSection.Bind(section, this);
    }
}
