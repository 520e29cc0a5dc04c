using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace WebApiHost.Endpoints;

/// <summary>Limits logins per client address, since each one costs requests to Twilio.</summary>
internal static class LoginRateLimiting
{
    public const string PolicyName = "login";

    /// <summary>Configuration: <c>Login:PermitsPerMinute</c> (default 30) per client address.</summary>
    public static void AddLoginRateLimiting(this WebApplicationBuilder builder)
    {
        var permits = builder.Configuration.GetValue("Login:PermitsPerMinute", 30);
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(title: "Too many logins", detail: "Wait before signing in again.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
    }
}
