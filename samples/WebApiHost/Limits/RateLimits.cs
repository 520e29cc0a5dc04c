using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WebApiHost.Accounts;

namespace WebApiHost.Limits;

/// <summary>
/// Every door that costs the back end something has a limit per client, on ASP.NET Core's rate limiter: sign-ins per
/// address (<see cref="Login"/>), writes per user (<see cref="Writes"/>), open room-list streams per user and in all
/// (<see cref="RoomStreams"/>). Past a limit: 429 problem+json with <c>Retry-After</c>.
/// </summary>
internal static class RateLimits
{
    /// <summary>
    /// Sign-ins and new accounts, per client address: <see cref="LoginLimitOptions.PermitsPerMinutePerAddress"/>; and
    /// per address and username, <see cref="SignInsPerUsername"/>.
    /// </summary>
    public const string Login = "login";

    /// <summary>Calls that create or change something, per user: <see cref="RateLimitOptions.WritesPerMinute"/>.</summary>
    public const string Writes = "writes";

    /// <summary>Concurrent <c>GET /rooms/events</c> streams, per user and in all.</summary>
    public const string RoomStreams = "room-streams";

    /// <summary>How long a refused stream is told to wait: a slot frees whenever any stream closes.</summary>
    private static readonly TimeSpan StreamRetryAfter = TimeSpan.FromSeconds(5);

    public static void AddChatRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LoginLimitOptions>().Bind(builder.Configuration.GetSection(LoginLimitOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SignInsPerUsername>();
        builder.Services.AddRateLimiter(options =>
        {
            // Keyed by the connection's address, never a forwarding header (anyone can write one), and by the endpoint,
            // not the path, so neither a spoofed X-Forwarded-For nor "/LOGIN/" gets a fresh budget.
            options.AddPolicy(Login, context => RateLimitPartition.GetFixedWindowLimiter(Address(context),
                _ => PerMinute(context.RequestServices.GetRequiredService<IOptions<LoginLimitOptions>>().Value.PermitsPerMinutePerAddress)));
            options.AddPolicy(Writes, context => RateLimitPartition.GetFixedWindowLimiter(Client(context),
                _ => PerMinute(Limits(context).WritesPerMinute)));
            options.AddPolicy(RoomStreams, context => RateLimitPartition.GetConcurrencyLimiter(Client(context),
                _ => new ConcurrencyLimiterOptions { PermitLimit = Limits(context).RoomStreamsPerClient, QueueLimit = 0 }));
            // The total is one more limiter that every stream takes a permit of; every other request passes it untouched.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsRoomStream(context)
                ? RateLimitPartition.GetConcurrencyLimiter(RoomStreams,
                    _ => new ConcurrencyLimiterOptions { PermitLimit = Limits(context).RoomStreamsTotal, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = (context, _) =>
            {
                var (title, detail, wait) = IsRoomStream(context.HttpContext)
                    ? ("Too many open room lists", "Close the room list in another tab or window, or try again later.", StreamRetryAfter)
                    : PolicyOf(context.HttpContext) == Login
                        ? ("Too many logins", "Wait before signing in again.", TimeSpan.FromMinutes(1))
                        : ("Too many requests", "Wait before trying again.", TimeSpan.FromMinutes(1));
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var told) ? told : wait;
                return new ValueTask(TooManyRequests(context.HttpContext, title, detail, retryAfter));
            };
        });
    }

    /// <summary>
    /// The sign-in limits: per address (<see cref="Login"/>), and, when the body names a user (<see cref="ISignInRequest"/>),
    /// per address and username (<see cref="SignInsPerUsername"/>), before any account is looked at.
    /// </summary>
    public static TBuilder RequireLoginLimits<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder
        => endpoint.RequireRateLimiting(Login).AddEndpointFilter(async (context, next) =>
        {
            var username = context.Arguments.OfType<ISignInRequest>().FirstOrDefault()?.Username;
            if (string.IsNullOrWhiteSpace(username))
            {
                return await next(context);
            }

            var http = context.HttpContext;
            using var lease = http.RequestServices.GetRequiredService<SignInsPerUsername>().Acquire(http, username);
            if (lease.IsAcquired)
            {
                return await next(context);
            }

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var told) ? told : TimeSpan.FromMinutes(1);
            await TooManyRequests(http, "Too many logins", "Wait before signing in as this user again.", retryAfter);
            return Results.Empty;
        });

    /// <summary>429 problem+json with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static Task TooManyRequests(HttpContext context, string title, string detail, TimeSpan retryAfter)
    {
        SetRetryAfter(context.Response, retryAfter);
        return TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }

    /// <summary>The <c>Retry-After</c> header in whole seconds, rounded up, at least 1.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter)
        => response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The signed-in user, else the client's address: who a per-client limit counts.</summary>
    private static string Client(HttpContext context)
        => context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.Identity() : Address(context);

    internal static string Address(HttpContext context) => "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    internal static FixedWindowRateLimiterOptions PerMinute(int permits)
        => new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };

    private static RateLimitOptions Limits(HttpContext context)
        => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static string? PolicyOf(HttpContext context)
        => context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;

    private static bool IsRoomStream(HttpContext context) => PolicyOf(context) == RoomStreams;
}
