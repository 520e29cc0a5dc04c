using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// The connections that finished <c>init</c>, indexed by user, so that a change can be pushed to whoever it concerns
/// without looking at every connection.
/// </summary>
internal sealed class TwilsockSessions
{
    private readonly ConcurrentDictionary<(string ServiceSid, string Identity), ImmutableHashSet<TwilsockSession>> _byUser = new();
    private int _count;

    public TwilsockSessions() => TwilsockMetrics.Track(this);

    /// <summary>Raised when a connection finished <c>init</c> (a user comes online).</summary>
    public event Action<TwilsockSession, TwilsockPrincipal>? Opened;

    /// <summary>Raised when an initialised connection ended.</summary>
    public event Action<TwilsockSession, TwilsockPrincipal>? Closed;

    /// <summary>How many connections are initialised.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The initialised connections of one user of one service (a user may have several tabs open).</summary>
    public IReadOnlyCollection<TwilsockSession> ForIdentity(string serviceSid, string identity) =>
        _byUser.TryGetValue((serviceSid, identity), out var sessions) ? sessions : [];

    /// <summary>Whether the user has at least one initialised connection (Twilio's reachability "online").</summary>
    public bool IsOnline(string serviceSid, string identity) => ForIdentity(serviceSid, identity).Count > 0;

    /// <summary>Every initialised connection, as they are now.</summary>
    public IReadOnlyList<TwilsockSession> All() => [.. _byUser.Values.SelectMany(sessions => sessions)];

    /// <summary>Every initialised connection with the user it was listed under, as they are now.</summary>
    public IReadOnlyList<(string ServiceSid, string Identity, TwilsockSession Session)> Listed() =>
        [.. _byUser.SelectMany(entry => entry.Value.Select(session => (entry.Key.ServiceSid, entry.Key.Identity, session)))];

    /// <summary>
    /// Adds an initialised connection; false, adding nothing, when its user holds <paramref name="limit"/> connections
    /// already (<see cref="TwilsockOptions.MaxConnectionsPerIdentity"/>).
    /// </summary>
    internal bool TryAdd(TwilsockSession session, TwilsockPrincipal principal, int limit)
    {
        var key = (principal.ServiceSid, principal.Identity);
        while (true)
        {
            var added = _byUser.TryGetValue(key, out var set)
                ? set.Count < limit ? _byUser.TryUpdate(key, set.Add(session), set) : (bool?)null
                : _byUser.TryAdd(key, [session]);
            if (added is null)
            {
                return false;
            }

            if (added.Value)
            {
                Interlocked.Increment(ref _count);
                Opened?.Invoke(session, principal);
                return true;
            }
        }
    }

    internal void Remove(TwilsockSession session, TwilsockPrincipal principal)
    {
        var key = (principal.ServiceSid, principal.Identity);
        while (_byUser.TryGetValue(key, out var set) && set.Contains(session))
        {
            var rest = set.Remove(session);
            var done = rest.IsEmpty
                ? _byUser.TryRemove(new KeyValuePair<(string, string), ImmutableHashSet<TwilsockSession>>(key, set))
                : _byUser.TryUpdate(key, rest, set);
            if (done)
            {
                Interlocked.Decrement(ref _count);
                Closed?.Invoke(session, principal);
                return;
            }
        }
    }
}
