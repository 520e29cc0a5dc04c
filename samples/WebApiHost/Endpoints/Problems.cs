using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.ChatRooms;

namespace WebApiHost.Endpoints;

/// <summary>What every chat endpoint shares: reading a JSON body, checking a text field, answering with problem+json.</summary>
internal static class Problems
{
    /// <summary>Reads the JSON body; a malformed one is a problem that names <c>body</c>, never an empty 400.</summary>
    public static async Task<(T? Body, ValidationProblem? Problem)> ReadJsonAsync<T>(
        HttpRequest request, string example, string title, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await request.ReadFromJsonAsync<T>(cancellationToken), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [$"The body must be JSON like {example}."] }, title: title));
        }
    }

    /// <summary>
    /// The library checks names as Twilio would (1 to 256 characters, no control characters) before any request; its
    /// refusal becomes a problem that names the request's <paramref name="field"/>, so the rules live in one place.
    /// </summary>
    public static ValidationProblem Invalid(string title, string field, ArgumentException e)
    {
        var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: title);
    }

    /// <summary>A problem about one field, with any status (404 for "no such room", 400 for bad input).</summary>
    public static ProblemHttpResult Field(int status, string title, string field, string message)
        => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = title,
        });

    /// <summary>A back-end failure the user cannot fix: Twilio's own problems are not the browser's fault.</summary>
    public static ProblemHttpResult BackendFailure(string title, string identity, ChatRoomsException e, ILogger logger)
    {
        Log.BackendRequestFailed(logger, title, identity, e.Kind.ToString(), e.Status, e.TwilioCode);
        var status = e.Kind switch
        {
            ChatRoomsErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
            ChatRoomsErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };
        return TypedResults.Problem(title: title, detail: e.Message, statusCode: status);
    }
}
