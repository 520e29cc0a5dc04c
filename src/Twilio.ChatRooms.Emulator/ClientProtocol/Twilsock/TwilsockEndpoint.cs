using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator.Access;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// Maps <c>{prefix}/twilsock</c>: the address a client SDK is given as <c>Twilsock.uri</c>. It upgrades to a websocket
/// (no subprotocol: the SDK asks for none) and serves one <see cref="TwilsockSession"/> on it. Who may connect (loopback
/// clients, pages of allowed origins) is checked by the emulator's client gate before this runs.
/// </summary>
internal static class TwilsockEndpoint
{
    public const string Path = "/twilsock";

    /// <summary>
    /// The kernel send buffer of a twilsock connection's socket. Left to itself Linux grows it to megabytes (to 4 MiB, and
    /// on loopback at once), which holds thousands of frames for a client that stopped reading before the queue's bound
    /// (<see cref="ClientProtocolOptions.MaxQueuedFramesPerConnection"/>) sees any: capped, the bound says how far behind a
    /// connection may fall, and a stalled client costs the machine little. Twilsock frames are small; this is ample.
    /// </summary>
    internal const int SocketSendBufferBytes = 64 * 1024;

    public static IEndpointConventionBuilder MapTwilsock(IEndpointRouteBuilder endpoints, string normalizedPrefix)
    {
        // The websocket middleware runs inside this endpoint only, so a host need not add it.
        var pipeline = endpoints.CreateApplicationBuilder();
        // No websocket-level pings (a timer per socket): twilsock pings on its own (TwilsockOptions.PingInterval).
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        pipeline.Run(ServeAsync);
        return endpoints.Map(normalizedPrefix + Path, pipeline.Build());
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This is a twilsock websocket endpoint: connect with a websocket client.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var options = services.GetRequiredService<IOptions<TwilsockOptions>>().Value;
        var addresses = services.GetRequiredService<TwilsockAddresses>();
        var address = context.Connection.RemoteIpAddress; // null: an in-process server, not a network peer
        if (address is not null && !addresses.TryOpen(address, options.MaxConnectionsPerAddress))
        {
            await ClientGate.RefuseAsync(context, TwilioErrors.TooManyRequests(
                $"This address holds {options.MaxConnectionsPerAddress} real-time connections already, the most allowed (MaxConnectionsPerAddress)")).ConfigureAwait(false);
            return;
        }

        try
        {
            await ServeWebSocketAsync(context, options).ConfigureAwait(false);
        }
        finally
        {
            if (address is not null)
            {
                addresses.Close(address);
            }
        }
    }

    private static async Task ServeWebSocketAsync(HttpContext context, TwilsockOptions options)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<TwilsockSession>();
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } tcp)
        {
            tcp.SendBufferSize = SocketSendBufferBytes; // Kestrel's sockets; a test server has none
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var session = new TwilsockSession(
            socket,
            services.GetRequiredService<ITwilsockAuthenticator>(),
            services.GetRequiredService<ITwilsockRequestHandler>(),
            services.GetRequiredService<TwilsockSessions>(),
            options,
            services.GetRequiredService<TimeProvider>(),
            logger);

        // A stopping host moves every client off as Twilio's edge does in a deploy (close 308): the SDK closes its socket
        // and reconnects by itself, to the host once it is back. Otherwise the stop waits out the host's shutdown timeout
        // for each open connection, and the SDKs learn of it only when their sockets are cut.
        using var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(
            static state => ((TwilsockSession)state!).Close(TwilsockClose.Offload, "Offloaded"), session);
        await session.RunAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
