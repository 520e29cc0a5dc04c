using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// Maps <c>{prefix}/twilsock</c>: the address a client SDK is given as <c>Twilsock.uri</c>. It upgrades to a websocket
/// (no subprotocol: the SDK asks for none) and serves one <see cref="TwilsockSession"/> on it.
/// </summary>
internal static partial class TwilsockEndpoint
{
    public const string Path = "/twilsock";

    public static IEndpointConventionBuilder MapTwilsock(IEndpointRouteBuilder endpoints, string normalizedPrefix)
    {
        // The websocket middleware runs inside this endpoint only, as SignalR's MapHub does, so a host need not add it.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(ServeAsync);
        return endpoints.Map(normalizedPrefix + Path, pipeline.Build());
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<TwilsockSession>();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This is a twilsock websocket endpoint: connect with a websocket client.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // A page on another site must not drive a developer's local emulator through their browser.
        if (!OriginAllowed(context))
        {
            LogOriginRefused(logger, context.Request.Headers.Origin.ToString());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var session = new TwilsockSession(
            socket,
            services.GetRequiredService<ITwilsockAuthenticator>(),
            services.GetRequiredService<ITwilsockRequestHandler>(),
            services.GetRequiredService<TwilsockSessions>(),
            services.GetRequiredService<IOptions<TwilsockOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            logger);
        await session.RunAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>No Origin (not a browser), or the origin the request was sent to.</summary>
    private static bool OriginAllowed(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "twilsock connection refused: Origin {Origin} is not this server's")]
    private static partial void LogOriginRefused(ILogger logger, string origin);
}
