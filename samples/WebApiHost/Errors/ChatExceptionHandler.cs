using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Twilio.ChatRooms;
using WebApiHost.Accounts;
using WebApiHost.Limits;

namespace WebApiHost.Errors;

/// <summary>
/// The one place where a failure becomes problem+json, so no endpoint can forget a case: a body that cannot be read
/// (400 naming <c>body</c>), a refused argument (400 naming the request's field), the library's
/// <see cref="ChatRoomsException"/> by kind (404, 409, 429 and 503 with <c>Retry-After</c>, else 400/403/502), the
/// accounts database down or full (503 with <c>Retry-After</c>, as the back end's own store), and anything else left to
/// the framework: 500 with no details.
/// </summary>
internal sealed class ChatExceptionHandler(IProblemDetailsService problems, AccountsDatabase accounts, ILogger<ChatExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>The wait a 429 or 503 from the back end asks for when Twilio named none.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has cleared the endpoint by now; the feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var about = endpoint?.Metadata.GetMetadata<ProblemAbout>() ?? new ProblemAbout("The request failed");
        var problem = exception switch
        {
            BadHttpRequestException e => Unreadable(about, e),
            ArgumentException e => FieldProblem(StatusCodes.Status400BadRequest, about, about.Field ?? e.ParamName ?? "body", Message(e)),
            ChatRoomsException e => Backend(context, about, e),
            _ when AccountsDatabase.IsUnavailable(exception) => AccountsUnavailable(context, about, exception),
            _ => null,   // a bug: the framework logs it and answers 500 without details
        };
        if (problem is null)
        {
            return false;
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>
    /// Malformed JSON, JSON of the wrong shape, no body where one is needed: the body is the problem. (A body that is
    /// not JSON at all is answered 415 by the framework before any of this.)
    /// </summary>
    private static ProblemDetails Unreadable(ProblemAbout about, BadHttpRequestException e)
    {
        if (e.StatusCode != StatusCodes.Status400BadRequest)
        {
            return new ProblemDetails { Status = e.StatusCode, Title = about.Title, Detail = "The request could not be read." };   // 413
        }

        var like = about.Example is null ? "a JSON object" : "JSON like " + about.Example;
        return FieldProblem(StatusCodes.Status400BadRequest, about, "body",
            e.InnerException is JsonException json ? $"The body must be {like} ({json.Message})" : $"The body must be {like}.");
    }

    private ProblemDetails Backend(HttpContext context, ProblemAbout about, ChatRoomsException e)
    {
        var status = e.Kind switch
        {
            ChatRoomsErrorKind.NotFound => StatusCodes.Status404NotFound,
            ChatRoomsErrorKind.AlreadyExists => StatusCodes.Status409Conflict,
            ChatRoomsErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
            ChatRoomsErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            // Twilio refused what was asked (a value it does not take, a permission): the caller's to fix.
            ChatRoomsErrorKind.Other when e.Status is 400 or 403 => e.Status.Value,
            // Twilio refused the host's credentials, or the account is not set up: not the browser's fault.
            _ => StatusCodes.Status502BadGateway,
        };
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            RateLimits.SetRetryAfter(context.Response, e.RetryAfter ?? DefaultRetryAfter);
        }

        if (status >= 500 || status == StatusCodes.Status429TooManyRequests)
        {
            Log.BackendRequestFailed(logger, about.Title, context.User.Identity?.Name ?? "anonymous", e.Kind.ToString(), e.Status, e.TwilioCode);
        }

        return about.Field is { } field && status is StatusCodes.Status404NotFound or StatusCodes.Status409Conflict or StatusCodes.Status400BadRequest
            ? FieldProblem(status, about, field, e.Message)
            : new ProblemDetails { Status = status, Title = about.Title, Detail = e.Message };
    }

    /// <summary>Sign-ups, sign-ins, sessions: nothing can be done until the accounts database answers again.</summary>
    private ProblemDetails AccountsUnavailable(HttpContext context, ProblemAbout about, Exception e)
    {
        Log.AccountsDatabaseFailed(logger, accounts.Name, accounts.Say(e));
        RateLimits.SetRetryAfter(context.Response, DefaultRetryAfter);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = about.Title,
            Detail = "The accounts database cannot be used right now. Try again shortly.",
        };
    }

    private static HttpValidationProblemDetails FieldProblem(int status, ProblemAbout about, string field, string message)
        => new(new Dictionary<string, string[]> { [field] = [message] }) { Status = status, Title = about.Title };

    /// <summary>The library's sentence without the framework's " (Parameter 'x')": the field is named by the key.</summary>
    private static string Message(ArgumentException e)
        => e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
