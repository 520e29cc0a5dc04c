using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.ChatRooms;
using WebApiHost.Backend;

namespace WebApiHost.Endpoints;

/// <summary><c>POST /login</c> (provision the user, issue a token) and <c>POST /token</c> (renew it).</summary>
internal static class LoginEndpoints
{
    /// <summary>Twilio's limit for an identity.</summary>
    private const int MaxUsernameLength = 256;

    public static void MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimiting.PolicyName);
        app.MapPost("/token", RefreshAsync);
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        HttpRequest request,
        IParticipantProvisioner provisioner,
        ITokenIssuer tokens,
        ChatBackend backend,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        // The body is read by hand so that a malformed one gets a problem that names it, not an empty 400.
        LoginRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<LoginRequest>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["The body must be JSON like {\"username\": \"alice\"}."] },
                title: "Malformed login request");
        }

        var username = body?.Username;
        if (string.IsNullOrWhiteSpace(username))
        {
            // The tutorial answers a missing username with 401; clients written for it expect that.
            return TypedResults.Problem(title: "A username is required", detail: "Send {\"username\": \"...\"}.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        if (UsernameProblem(username) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["username"] = [problem] },
                title: "Invalid username");
        }

        var identity = username.Trim();
        var logger = loggers.CreateLogger(typeof(LoginEndpoints));
        try
        {
            var rooms = await provisioner.ProvisionAsync(identity, cancellationToken);
            var token = await tokens.IssueAsync(identity, cancellationToken);
            Log.LoggedIn(logger, identity, rooms.Count);
            return TypedResults.Ok(new LoginResponse(
                [.. rooms.Select(r => new[] { r.Name, r.Sid })], token.Token, token.Identity, token.ExpiresAt, backend.Name, backend.HubUrl));
        }
        catch (ChatRoomsException e)
        {
            Log.LoginFailed(logger, identity, e.Kind.ToString(), e.Status, e.TwilioCode);
            return TypedResults.Problem(title: "Login failed", detail: e.Message, statusCode: StatusFor(e));
        }
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RefreshAsync(
        HttpRequest request, ITokenIssuer tokens, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
        {
            return TypedResults.Problem(title: "A token is required",
                detail: "Send the current token as 'Authorization: Bearer <token>'.", statusCode: StatusCodes.Status401Unauthorized);
        }

        try
        {
            var token = await tokens.RefreshAsync(header[scheme.Length..].Trim(), cancellationToken);
            return TypedResults.Ok(new TokenResponse(token.Token, token.Identity, token.ExpiresAt));
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.Unauthorized)
        {
            return TypedResults.Problem(title: "The token cannot be renewed", detail: "Sign in again.",
                statusCode: StatusCodes.Status401Unauthorized);
        }
    }

    private static string? UsernameProblem(string username)
    {
        if (username.Trim().Length > MaxUsernameLength)
        {
            return $"The username must be at most {MaxUsernameLength} characters.";
        }

        return username.Any(char.IsControl) ? "The username must not contain control characters." : null;
    }

    /// <summary>The status a browser gets for a back-end failure: the user cannot fix Twilio's problems.</summary>
    private static int StatusFor(ChatRoomsException e) => e.Kind switch
    {
        ChatRoomsErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ChatRoomsErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };
}
