using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;

namespace WebApiHost.Accounts;

/// <summary>
/// The session is a cookie, so every state-changing call must prove it comes from the chat's own page: the
/// framework's antiforgery token, fetched with <c>GET /antiforgery</c> and sent back as the <c>X-XSRF-TOKEN</c>
/// header. The token is bound to the signed-in user: fetch a new one after signing in or out.
/// </summary>
internal static class AntiforgeryProtection
{
    public const string HeaderName = "X-XSRF-TOKEN";

    public static void AddChatAntiforgery(this WebApplicationBuilder builder) =>
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = HeaderName;
            options.Cookie.Name = "chat.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

    /// <summary>Checks the token on every POST, PUT, PATCH and DELETE of the group (safe methods pass).</summary>
    public static RouteGroupBuilder RequireAntiforgery(this RouteGroupBuilder group)
        => group.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return TypedResults.Problem(
                    title: "Missing or invalid antiforgery token",
                    detail: $"Send the token from GET /antiforgery as the {HeaderName} header; fetch a new one after signing in or out.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            return await next(context);
        });

    /// <summary><c>GET /antiforgery</c>: a token for the current user (or for nobody, before signing in).</summary>
    public static void MapAntiforgeryEndpoint(this IEndpointRouteBuilder app)
        => app.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(new AntiforgeryToken(tokens.RequestToken!, tokens.HeaderName ?? HeaderName));
        });

    internal sealed record AntiforgeryToken(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("headerName")] string HeaderName);
}
