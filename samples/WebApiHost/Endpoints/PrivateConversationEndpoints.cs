using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.ChatRooms;
using WebApiHost.Accounts;

namespace WebApiHost.Endpoints;

/// <summary><c>POST /private-conversations</c>: a conversation only the signed-in user and one other user are in.</summary>
internal static class PrivateConversationEndpoints
{
    private const string Title = "Cannot start the private conversation";

    public static void MapPrivateConversationEndpoints(this IEndpointRouteBuilder app)
        => app.MapPost("/private-conversations", StartAsync).RequireAuthorization();

    private static async Task<Results<Ok<PrivateConversation>, ProblemHttpResult, ValidationProblem>> StartAsync(
        HttpRequest request, ClaimsPrincipal user, IPrivateConversations conversations, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (body, malformed) = await Problems.ReadJsonAsync<StartRequest>(request, "{\"with\": \"bob\"}", Title, cancellationToken);
        if (malformed is not null)
        {
            return malformed;
        }

        var me = user.Identity();
        var other = (body?.With ?? "").Trim();
        var logger = loggers.CreateLogger(typeof(PrivateConversationEndpoints));
        try
        {
            var conversation = await conversations.StartAsync(me, other, cancellationToken);
            Log.PrivateConversationStarted(logger, me, other);
            return TypedResults.Ok(conversation);
        }
        catch (ArgumentException e)
        {
            return Problems.Invalid(Title, "with", e);   // empty, too long, control characters, or oneself
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            return Problems.Field(StatusCodes.Status404NotFound, Title, "with",
                $"There is no user '{other}': they must sign in once before they can be messaged.");
        }
        catch (ChatRoomsException e)
        {
            return Problems.BackendFailure(Title, me, e, logger);
        }
    }

    internal sealed record StartRequest([property: JsonPropertyName("with")] string? With);
}
