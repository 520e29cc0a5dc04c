using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.ChatRooms;
using WebApiHost.Accounts;
using WebApiHost.Backend;
using WebApiHost.Errors;
using WebApiHost.Limits;

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
        // Room names are not secret (the tutorial's login hands them to anybody): one read, open to all.
        app.MapGet("/rooms", ListAsync).ProblemsAbout("The rooms cannot be listed");
        // A stream holds a connection for as long as it is open: only for a signed-in session (EventSource sends the
        // page's cookie), a few per user and a bounded number in all.
        app.MapGet("/rooms/events", Watch).RequireAuthorization().RequireRateLimiting(RateLimits.RoomStreams);

        var membership = app.MapGroup("/rooms").RequireAuthorization().RequireRateLimiting(RateLimits.Writes);
        membership.MapPost("/join", JoinAsync).ProblemsAbout("Cannot join the room", "room", Example);
        membership.MapPost("/leave", LeaveAsync).ProblemsAbout("Cannot leave the room", "room", Example);
    }

    private static async Task<Ok<RoomList>> ListAsync(IChatRoomAdmin admin, CancellationToken cancellationToken)
        => TypedResults.Ok(new RoomList(await admin.ListRoomsAsync(cancellationToken).ToListAsync(cancellationToken)));

    /// <summary>Server-sent events: <c>rooms</c> with every room, on connect and whenever the list changes.</summary>
    private static ServerSentEventsResult<IReadOnlyList<ChatRoom>> Watch(RoomDirectory directory, CancellationToken cancellationToken)
        => TypedResults.ServerSentEvents(directory.WatchAsync(cancellationToken), eventType: "rooms");

    private static async Task<Ok<ChatRoom>> JoinAsync(
        RoomRequest body, ClaimsPrincipal user, IParticipantProvisioner provisioner, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var joined = await provisioner.JoinRoomAsync(user.Identity(), body.Room!.Trim(), cancellationToken);
        Log.JoinedRoom(loggers.CreateLogger(typeof(RoomEndpoints)), user.Identity(), joined.Name);
        return TypedResults.Ok(joined);
    }

    private static async Task<NoContent> LeaveAsync(
        RoomRequest body, ClaimsPrincipal user, IParticipantProvisioner provisioner, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var room = body.Room!.Trim();
        await provisioner.LeaveRoomAsync(user.Identity(), room, cancellationToken);
        Log.LeftRoom(loggers.CreateLogger(typeof(RoomEndpoints)), user.Identity(), room);
        return TypedResults.NoContent();
    }

    /// <summary>The body of join and leave; the library checks the name itself (length, control characters, dots).</summary>
    internal sealed record RoomRequest([property: JsonPropertyName("room"), Required(ErrorMessage = "A room name is required.")] string? Room);

    internal sealed record RoomList([property: JsonPropertyName("rooms")] IReadOnlyList<ChatRoom> Rooms);
}
