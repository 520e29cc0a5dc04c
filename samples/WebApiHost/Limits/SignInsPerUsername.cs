using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace WebApiHost.Limits;

/// <summary>
/// The budget of sign-ins per username and address (<see cref="LoginLimitOptions.PermitsPerMinute"/>). The rate
/// limiter's policies run before the body is read, so this one is an endpoint filter on the calls whose body names the
/// user (<see cref="ISignInRequest"/>): <see cref="RateLimits.RequireLoginLimits{TBuilder}"/>.
/// </summary>
internal sealed class SignInsPerUsername(IOptions<LoginLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => RateLimits.PerMinute(options.Value.PermitsPerMinute)));

    public void Dispose() => _limiter.Dispose();

    /// <summary>A permit for <paramref name="username"/> from the request's address; not acquired past the budget.</summary>
    public RateLimitLease Acquire(HttpContext context, string username)
        => _limiter.AttemptAcquire(RateLimits.Address(context) + "|user:" + Canonical(username));

    /// <summary>Alice and ALICE share a budget; a name the library refuses counts as typed (it is refused later).</summary>
    private static string Canonical(string username)
    {
        try
        {
            return ChatIdentity.Canonicalize(username, nameof(username));
        }
        catch (ArgumentException)
        {
            return username;
        }
    }
}

/// <summary>A sign-in request whose body names the user, limited per username by <see cref="SignInsPerUsername"/>.</summary>
internal interface ISignInRequest
{
    string? Username { get; }
}
