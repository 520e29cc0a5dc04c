using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Twilio.ChatRooms;
using WebApiHost.Backend;

namespace WebApiHost.Endpoints;

/// <summary>
/// <c>GET /health</c>: whether the accounts database takes a write, the back end answers and (on the emulator) its
/// store makes writes durable. 503 names what fails.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/health", CheckAsync);

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(
        IChatRoomAdmin rooms, ChatBackend backend, ILoggerFactory loggers, HealthCheckService checks, CancellationToken cancellationToken)
    {
        // accounts-database (sign-ups, sign-ins, sessions) and, on the emulator, conversations-emulator-store: reads may
        // still work while writes cannot be made.
        if (await checks.CheckHealthAsync(cancellationToken) is { Status: not HealthStatus.Healthy } report)
        {
            var reason = string.Join(" ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
                .Select(e => e.Value.Description ?? $"The check {e.Key} failed."));
            Log.Unhealthy(loggers.CreateLogger(typeof(HealthEndpoints)), reason);
            return TypedResults.Json(new HealthReport("unhealthy", backend.Name, reason), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            // One page of rooms: the cheapest call that proves credentials, service and network all work.
            await foreach (var _ in rooms.ListRoomsAsync(timeout.Token))
            {
                break;
            }

            return TypedResults.Ok(new HealthReport("healthy", backend.Name, null));
        }
        catch (Exception e) when (e is ChatRoomsException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is ChatRoomsException c ? c.Message : "no answer within 5 seconds";
            Log.BackendUnhealthy(loggers.CreateLogger(typeof(HealthEndpoints)), reason);
            return TypedResults.Json(new HealthReport("unhealthy", backend.Name, reason), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    internal sealed record HealthReport(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("backend")] string Backend,
        [property: JsonPropertyName("detail")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);
}
