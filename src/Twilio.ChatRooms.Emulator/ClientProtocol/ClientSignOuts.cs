using System.Collections.Concurrent;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>
/// When each identity last signed out (<see cref="EmulatorClientConnections.SignOutAsync"/>): a token of that identity
/// issued in that second or before is refused. JWT times are whole seconds, so the second of the sign-out counts as
/// before it. Kept in memory only (the emulator README says why); an entry is forgotten 24 hours on, when every token it
/// refuses has expired anyway (Twilio's longest lifetime).
/// </summary>
internal sealed class ClientSignOuts(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _lastSecond = new(StringComparer.Ordinal);

    /// <summary>Records a sign-out of <paramref name="identity"/> now and returns its second (Unix time).</summary>
    public long Record(string identity)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        _lastSecond.AddOrUpdate(identity, second, (_, known) => Math.Max(known, second));
        var forgotten = second - (long)ClientTokenValidator.MaxLifetime.TotalSeconds;
        foreach (var (key, value) in _lastSecond)
        {
            if (value < forgotten)
            {
                _lastSecond.TryRemove(KeyValuePair.Create(key, value));
            }
        }

        return second;
    }

    /// <summary>
    /// Whether a token of <paramref name="identity"/> issued at <paramref name="issuedAt"/> was issued before the
    /// identity's last sign-out; one that does not say when it was issued is, once the identity has signed out.
    /// </summary>
    public bool IssuedBeforeSignOut(string identity, DateTimeOffset? issuedAt) =>
        _lastSecond.TryGetValue(identity, out var second) && (issuedAt is not { } issued || issued.ToUnixTimeSeconds() <= second);
}
