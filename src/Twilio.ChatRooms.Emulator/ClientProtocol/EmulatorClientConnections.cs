using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.ClientProtocol;
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
    private readonly ClientSignOuts _signOuts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal EmulatorClientConnections(TwilsockSessions sessions, ClientSignOuts signOuts, TimeProvider time, ILogger<EmulatorClientConnections> logger)
    {
        _sessions = sessions;
        _signOuts = signOuts;
        _time = time;
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

    /// <summary>
    /// Signs <paramref name="identity"/> out of the client face, what Twilio cannot do: every access token of that
    /// identity issued before now is refused from then on (at <c>init</c> and <c>update</c>, with Twilio's 20104, the
    /// SDK's <c>tokenExpired</c>), and each of its open connections is closed as one whose token expired (twilsock's
    /// 410). A web host calls it when a user signs out; the user's other devices renew their tokens as on expiry. Not
    /// persisted: a restarted emulator accepts such tokens again until they expire.
    /// </summary>
    /// <remarks>
    /// Token times are whole seconds, so a token issued in the second of the sign-out counts as issued before it; the
    /// task completes when that second is over, so a token issued after it completes is accepted.
    /// </remarks>
    /// <param name="identity">The identity, exactly as in its tokens' grants (the library's canonical form).</param>
    /// <param name="cancellationToken">Stops waiting for the second to end (the sign-out is in force already).</param>
    /// <returns>How many connections were closed.</returns>
    /// <exception cref="ArgumentException"><paramref name="identity"/> is null or empty.</exception>
    public async Task<int> SignOutAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        var second = _signOuts.Record(identity);
        var closed = new HashSet<TwilsockSession>();
        CloseIssuedBy(identity, second, closed);

        // A connection whose token was checked just before the sign-out may have registered after the first pass.
        await Task.Delay(DateTimeOffset.FromUnixTimeSeconds(second + 1) - _time.GetUtcNow() is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, _time, cancellationToken)
            .ConfigureAwait(false);
        CloseIssuedBy(identity, second, closed);
        Log.SignedOut(_logger, identity, closed.Count);
        return closed.Count;
    }

    /// <summary>Closes the connections of <paramref name="identity"/> whose token was issued in <paramref name="second"/> or before.</summary>
    private void CloseIssuedBy(string identity, long second, HashSet<TwilsockSession> closed)
    {
        foreach (var session in _sessions.All())
        {
            if (session.Principal is { } p && p.Identity == identity && (p.IssuedAt is not { } issued || issued.ToUnixTimeSeconds() <= second)
                && closed.Add(session))
            {
                session.Close(TwilsockClose.TokenExpired, "Token expired");
            }
        }
    }
}
