using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.ChatRooms;
using WebApiHost.Accounts;
using WebApiHost.Errors;
using WebApiHost.Limits;

namespace WebApiHost.Endpoints;

/// <summary><c>POST /private-conversations</c>: a conversation only the signed-in user and one other user are in.</summary>
internal static class PrivateConversationEndpoints
{
    public static void MapPrivateConversationEndpoints(this IEndpointRouteBuilder app)
        => app.MapPost("/private-conversations", StartAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Writes)
            .ProblemsAbout("Cannot start the private conversation", "with", "{\"with\": \"bob\"}");

    /// <summary>An unknown other user is 404 naming <c>with</c>: they must sign in once before they can be messaged.</summary>
    private static async Task<Ok<PrivateConversation>> StartAsync(
        StartRequest body, ClaimsPrincipal user, IPrivateConversations conversations, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var me = user.Identity();
        var other = body.With!.Trim();
        var conversation = await conversations.StartAsync(me, other, cancellationToken);   // empty, too long, oneself: 400
        Log.PrivateConversationStarted(loggers.CreateLogger(typeof(PrivateConversationEndpoints)), me, other);
        return TypedResults.Ok(conversation);
    }

    internal sealed record StartRequest([property: JsonPropertyName("with"), Required(ErrorMessage = "Name the other user.")] string? With);
}
