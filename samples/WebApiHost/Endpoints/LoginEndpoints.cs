using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Accounts;
using WebApiHost.Backend;
using WebApiHost.Errors;
using WebApiHost.Limits;

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
        app.MapPost("/login", LoginAsync).RequireLoginLimits().ProblemsAbout("Login failed", "username", Example);
        app.MapPost("/token", RenewAsync).RequireAuthorization().RequireRateLimiting(RateLimits.Writes)
            .ProblemsAbout("The token cannot be renewed");
    }

    /// <summary>No body at all (a signed-in session asking for its rooms and token) is not a malformed one.</summary>
    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest? body,
        ClaimsPrincipal session,
        AccountSignIn accounts,
        IOptions<ChatOptions> options,
        ChatSessionStarter starter,
        CancellationToken cancellationToken)
    {
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
            return await starter.StartAsync(await accounts.SignInByNameAsync(body.Username), cancellationToken);
        }

        var (signedIn, refused) = await accounts.SignInWithPasswordAsync(body.Username, body.Password);
        return refused is null ? await starter.StartAsync(signedIn!, cancellationToken) : refused;
    }

    /// <summary>A fresh token for the session's own user; a token sent along proves nothing and is ignored.</summary>
    private static async Task<Ok<TokenResponse>> RenewAsync(ClaimsPrincipal user, ITokenIssuer tokens, CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(user.Identity(), cancellationToken);
        return TypedResults.Ok(new TokenResponse(token.Token, token.Identity, token.ExpiresAt));
    }
}

/// <summary>What a signed-in user gets from <c>POST /login</c>: their rooms (joined as configured) and their token.</summary>
internal sealed class ChatSessionStarter(
    IParticipantProvisioner provisioner, ITokenIssuer tokens, ChatBackend backend, IOptions<ChatOptions> options, ILogger<ChatSessionStarter> logger)
{
    public async Task<Ok<LoginResponse>> StartAsync(string identity, CancellationToken cancellationToken)
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
}
