using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Auth;
using WebApiHost.Backend;

namespace WebApiHost.Endpoints;

/// <summary><c>POST /login</c> (provision the user, issue a token) and <c>POST /token</c> (renew it).</summary>
internal static class LoginEndpoints
{
    public static void MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimiting.PolicyName);
        app.MapPost("/token", RenewAsync).RequireAuthorization();
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        HttpRequest request,
        IParticipantProvisioner provisioner,
        ITokenIssuer tokens,
        ChatBackend backend,
        IOptions<ChatOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (body, malformed) = await Problems.ReadJsonAsync<LoginRequest>(
            request, "{\"username\": \"alice\"}", "Malformed login request", cancellationToken);
        if (malformed is not null)
        {
            return malformed;
        }

        var username = body?.Username;
        if (string.IsNullOrWhiteSpace(username))
        {
            // The tutorial answers a missing username with 401; clients written for it expect that.
            return TypedResults.Problem(title: "A username is required", detail: "Send {\"username\": \"...\"}.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        var identity = username.Trim();
        var logger = loggers.CreateLogger(typeof(LoginEndpoints));
        try
        {
            // The tutorial puts everybody in every room; a host with big rooms lets users join what they want instead.
            var rooms = options.Value.JoinAllRoomsAtLogin
                ? await provisioner.ProvisionAsync(identity, cancellationToken)
                : await provisioner.EnsureUserAsync(identity, cancellationToken);
            var token = await tokens.IssueAsync(identity, cancellationToken);
            Log.LoggedIn(logger, identity, rooms.Count);
            return TypedResults.Ok(new LoginResponse(
                [.. rooms.Select(r => new[] { r.Name, r.Sid })], token.Token, token.Identity, token.ExpiresAt, backend.Name, backend.HubUrl));
        }
        catch (ArgumentException e)
        {
            return Problems.Invalid("Invalid username", "username", e);
        }
        catch (ChatRoomsException e)
        {
            return Problems.BackendFailure("Login failed", identity, e, logger);
        }
    }

    /// <summary>The current token was checked by <see cref="ChatTokenAuthentication"/>: issue a fresh one for the same user.</summary>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RenewAsync(
        ClaimsPrincipal user, ITokenIssuer tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var token = await tokens.IssueAsync(user.Identity(), cancellationToken);
            return TypedResults.Ok(new TokenResponse(token.Token, token.Identity, token.ExpiresAt));
        }
        catch (ChatRoomsException e)
        {
            return Problems.BackendFailure("The token cannot be renewed", user.Identity(), e, loggers.CreateLogger(typeof(LoginEndpoints)));
        }
    }
}
