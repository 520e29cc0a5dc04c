using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace WebApiHost.Auth;

/// <summary>
/// Authenticates a browser by the access token <c>/login</c> gave it (<c>Authorization: Bearer</c>): the same token
/// the chat back end accepts, checked by the library against the API key that signed it.
/// </summary>
internal static class ChatTokenAuthentication
{
    public const string Scheme = "ChatToken";

    public static void AddChatTokenAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        builder.Services.AddAuthorization();
    }

    /// <summary>The signed-in user's identity on an endpoint that requires authorization.</summary>
    public static string Identity(this ClaimsPrincipal user)
        => user.Identity?.Name ?? throw new InvalidOperationException("The endpoint does not require authorization.");

    private sealed class Handler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory loggers,
        UrlEncoder encoder,
        ITokenIssuer tokens,
        IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
    {
        private const string Bearer = "Bearer ";

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(header[Bearer.Length..]))
            {
                return AuthenticateResult.NoResult();
            }

            try
            {
                var token = await tokens.ValidateAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, token.Identity)], ChatTokenAuthentication.Scheme);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ChatTokenAuthentication.Scheme));
            }
            catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.Unauthorized)
            {
                return AuthenticateResult.Fail(e.Message);
            }
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "A valid access token is required",
                    Detail = "Send the token from /login as 'Authorization: Bearer <token>'; sign in again if it has expired.",
                },
            });
        }
    }
}
