using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Accounts;
using WebApiHost.Backend;

namespace WebApiHost.Endpoints;

/// <summary>
/// <c>POST /login</c>: sign in (password, or a name alone in the username-only mode) or continue the signed-in
/// session, then provision the user and issue their access token; <c>POST /token</c> renews it while the session lasts.
/// </summary>
internal static class LoginEndpoints
{
    private const string Example = "{\"username\": \"alice\", \"password\": \"...\"}";

    public static void MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimiting.PolicyName);
        app.MapPost("/token", RenewAsync).RequireAuthorization();
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        HttpRequest request,
        ClaimsPrincipal session,
        AccountSignIn accounts,
        IOptions<ChatOptions> options,
        ChatSessionStarter starter,
        CancellationToken cancellationToken)
    {
        LoginRequest? body = null;
        // No body at all (a signed-in session asking for its rooms and token) is not a malformed one.
        if (request.ContentLength > 0 || (request.ContentLength is null && request.HasJsonContentType()))
        {
            (body, var malformed) = await Problems.ReadJsonAsync<LoginRequest>(request, Example, "Malformed login request", cancellationToken);
            if (malformed is not null)
            {
                return malformed;
            }
        }

        if (string.IsNullOrWhiteSpace(body?.Username))
        {
            if (session.Identity?.IsAuthenticated == true)
            {
                return await starter.StartAsync(session.Identity(), cancellationToken);   // after a passkey sign-in, a reload
            }

            // The tutorial answers a missing username with 401; clients written for it expect that.
            return TypedResults.Problem(title: "A username is required", detail: "Send " + Example + ".",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        if (options.Value.SignIn == SignInMode.UsernameOnly)
        {
            var (identity, invalid) = await accounts.SignInByNameAsync(body.Username);
            return invalid ?? await starter.StartAsync(identity!, cancellationToken);
        }

        var (signedIn, refused) = await accounts.SignInWithPasswordAsync(body.Username, body.Password);
        return refused ?? await starter.StartAsync(signedIn!, cancellationToken);
    }

    /// <summary>A fresh token for the session's own user; a token sent along proves nothing and is ignored.</summary>
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

/// <summary>What a signed-in user gets from <c>POST /login</c>: their rooms (joined as configured) and their token.</summary>
internal sealed class ChatSessionStarter(
    IParticipantProvisioner provisioner, ITokenIssuer tokens, ChatBackend backend, IOptions<ChatOptions> options, ILogger<ChatSessionStarter> logger)
{
    public async Task<Results<Ok<LoginResponse>, ProblemHttpResult, ValidationProblem>> StartAsync(string identity, CancellationToken cancellationToken)
    {
        try
        {
            // The tutorial puts everybody in every room; a host with big rooms lets users join what they want instead.
            var rooms = options.Value.JoinAllRoomsAtLogin
                ? await provisioner.ProvisionAsync(identity, cancellationToken)
                : await provisioner.EnsureUserAsync(identity, cancellationToken);
            var token = await tokens.IssueAsync(identity, cancellationToken);
            Log.LoggedIn(logger, identity, rooms.Count);
            return TypedResults.Ok(new LoginResponse(
                [.. rooms.Select(r => new[] { r.Name, r.Sid })], token.Token, token.Identity, token.ExpiresAt, backend.Name, backend.ClientOptions()));
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
}
