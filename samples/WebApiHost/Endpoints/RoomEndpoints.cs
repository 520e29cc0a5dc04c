using System.Net.ServerSentEvents;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.ChatRooms;
using WebApiHost.Accounts;
using WebApiHost.Backend;

namespace WebApiHost.Endpoints;

/// <summary>
/// The room list (<c>GET /rooms</c>, live as <c>GET /rooms/events</c>) and the signed-in user's memberships
/// (<c>POST /rooms/join</c>, <c>POST /rooms/leave</c>).
/// </summary>
internal static class RoomEndpoints
{
    private const string Example = "{\"room\": \"general\"}";

    public static void MapRoomEndpoints(this IEndpointRouteBuilder app)
    {
        // Room names are not secret (the tutorial's login hands them to anybody), and EventSource cannot send a token.
        app.MapGet("/rooms", ListAsync);
        app.MapGet("/rooms/events", Watch);

        var membership = app.MapGroup("/rooms").RequireAuthorization();
        membership.MapPost("/join", JoinAsync);
        membership.MapPost("/leave", LeaveAsync);
    }

    private static async Task<Results<Ok<RoomList>, ProblemHttpResult>> ListAsync(
        IChatRoomAdmin admin, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(new RoomList(await admin.ListRoomsAsync(cancellationToken).ToListAsync(cancellationToken)));
        }
        catch (ChatRoomsException e)
        {
            return Problems.BackendFailure("The rooms cannot be listed", "anonymous", e, loggers.CreateLogger(typeof(RoomEndpoints)));
        }
    }

    /// <summary>Server-sent events: <c>rooms</c> with every room, on connect and whenever the list changes.</summary>
    private static ServerSentEventsResult<IReadOnlyList<ChatRoom>> Watch(RoomDirectory directory, CancellationToken cancellationToken)
        => TypedResults.ServerSentEvents(directory.WatchAsync(cancellationToken), eventType: "rooms");

    private static async Task<Results<Ok<ChatRoom>, ProblemHttpResult, ValidationProblem>> JoinAsync(
        HttpRequest request, ClaimsPrincipal user, IParticipantProvisioner provisioner, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (room, problem) = await ReadRoomAsync(request, "Cannot join the room", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var logger = loggers.CreateLogger(typeof(RoomEndpoints));
        try
        {
            var joined = await provisioner.JoinRoomAsync(user.Identity(), room, cancellationToken);
            Log.JoinedRoom(logger, user.Identity(), joined.Name);
            return TypedResults.Ok(joined);
        }
        catch (ArgumentException e)
        {
            return Problems.Invalid("Cannot join the room", "room", e);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            return NoSuchRoom("Cannot join the room", room);
        }
        catch (ChatRoomsException e)
        {
            return Problems.BackendFailure("Cannot join the room", user.Identity(), e, logger);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> LeaveAsync(
        HttpRequest request, ClaimsPrincipal user, IParticipantProvisioner provisioner, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (room, problem) = await ReadRoomAsync(request, "Cannot leave the room", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var logger = loggers.CreateLogger(typeof(RoomEndpoints));
        try
        {
            await provisioner.LeaveRoomAsync(user.Identity(), room, cancellationToken);
            Log.LeftRoom(logger, user.Identity(), room);
            return TypedResults.NoContent();
        }
        catch (ArgumentException e)
        {
            return Problems.Invalid("Cannot leave the room", "room", e);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            return NoSuchRoom("Cannot leave the room", room);
        }
        catch (ChatRoomsException e)
        {
            return Problems.BackendFailure("Cannot leave the room", user.Identity(), e, logger);
        }
    }

    private static async Task<(string Room, ValidationProblem? Problem)> ReadRoomAsync(
        HttpRequest request, string title, CancellationToken cancellationToken)
    {
        var (body, malformed) = await Problems.ReadJsonAsync<RoomRequest>(request, Example, title, cancellationToken);
        if (malformed is not null)
        {
            return ("", malformed);
        }

        return ((body?.Room ?? "").Trim(), null);
    }

    private static ProblemHttpResult NoSuchRoom(string title, string room)
        => Problems.Field(StatusCodes.Status404NotFound, title, "room", $"There is no room named '{room}'.");

    internal sealed record RoomRequest([property: JsonPropertyName("room")] string? Room);

    internal sealed record RoomList([property: JsonPropertyName("rooms")] IReadOnlyList<ChatRoom> Rooms);
}
