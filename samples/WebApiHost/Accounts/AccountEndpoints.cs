using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using WebApiHost.Backend;
using WebApiHost.Errors;
using WebApiHost.Limits;

namespace WebApiHost.Accounts;

/// <summary>
/// <c>POST /account</c> (create an account and sign in), <c>POST /logout</c> (end the session). Signing in with a
/// password is <c>POST /login</c>, the tutorial's endpoint; with a passkey, <see cref="PasskeyEndpoints"/>.
/// </summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account", CreateAsync).RequireLoginLimits()
            .ProblemsAbout("Cannot create the account", "username", "{\"username\": \"alice\", \"password\": \"...\"}");
        app.MapPost("/logout", SignOutAsync);
    }

    private static async Task<Results<NoContent, ValidationProblem>> CreateAsync(CreateAccountRequest body, AccountSignIn accounts)
    {
        var (_, problem) = await accounts.CreateAsync(body.Username, body.Password);
        return problem is null ? TypedResults.NoContent() : problem;
    }

    /// <summary>
    /// Deletes the session (so its cookie is dead everywhere and no token is renewed) and the cookie, then signs the
    /// user out of the chat (<see cref="ChatSignOut"/>); fine without a session too.
    /// </summary>
    private static async Task<NoContent> SignOutAsync(
        ClaimsPrincipal user, SignInManager<IdentityUser> signIn, ChatSignOut chat, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated == true)
        {
            await signIn.SignOutAsync();
            await chat.SignOutAsync(user.Identity(), cancellationToken);
            Log.SignedOut(loggers.CreateLogger(typeof(AccountEndpoints)), user.Identity());
        }

        return TypedResults.NoContent();
    }

    internal sealed record CreateAccountRequest(
        [property: JsonPropertyName("username")] string? Username,
        [property: JsonPropertyName("password")] string? Password) : ISignInRequest;
}
