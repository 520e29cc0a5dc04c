using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Access;

/// <summary>
/// Who may use the emulator at all, checked before anything else on every endpoint it maps: loopback clients only
/// (unless <see cref="ConversationsEmulatorOptions.AllowRemoteClients"/>), and, on the browser-facing twilsock endpoint, only pages
/// of loopback or allowed origins. A refusal is 403 with Twilio's error body (code 20403).
/// </summary>
internal static class ClientGate
{
    /// <summary>Wraps every endpoint <paramref name="builder"/> maps with the gate.</summary>
    public static void Guard(IEndpointConventionBuilder builder, bool checkOrigin) => builder.Add(endpoint =>
    {
        var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException("An emulator endpoint has no request delegate.");
        endpoint.RequestDelegate = context => Refusal(context, checkOrigin) is { } refusal ? RefuseAsync(context, refusal) : inner(context);
    });

    /// <summary>Why <paramref name="context"/>'s client may not use the emulator; null when it may.</summary>
    public static string? Refusal(HttpContext context, bool checkOrigin)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value;
        // No remote address: an in-process server (TestServer) or a Unix socket, not a network peer.
        if (!options.AllowRemoteClients && context.Connection.RemoteIpAddress is { } remote && !IsLoopback(remote))
        {
            return "The emulator serves loopback clients only (set AllowRemoteClients to allow others)";
        }

        string? origin = context.Request.Headers.Origin;
        if (checkOrigin && !string.IsNullOrEmpty(origin) && !IsLoopbackOrigin(origin) && !IsOwnOrigin(options, origin)
            && !options.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
        {
            return $"The origin {origin} may not open the emulator's real-time connection (add it to AllowedOrigins to allow it)";
        }

        return null;
    }

    /// <summary>Answers 403 with Twilio's error body (code 20403) and logs the refusal in one line.</summary>
    public static Task RefuseAsync(HttpContext context, string reason) => RefuseAsync(context, TwilioErrors.Forbidden(reason));

    /// <summary>Answers <paramref name="refusal"/>'s status with Twilio's error body and logs the refusal in one line.</summary>
    public static async Task RefuseAsync(HttpContext context, EmulatorException refusal)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientGate));
        Log.ClientRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "(in process)", refusal.Message);
        EmulatorTelemetry.Refused(EmulatorTelemetry.RefusalReason(refusal.Status) ?? "other", context.WebSockets.IsWebSocketRequest ? "twilsock" : "http");
        context.Response.StatusCode = refusal.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(RestEndpoint.Error(refusal).ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The emulator's own pages: the origin of <see cref="ConversationsEmulatorOptions.PublicAddress"/>.</summary>
    private static bool IsOwnOrigin(ConversationsEmulatorOptions options, string origin) =>
        options.PublicAddress is { } own && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(own.GetLeftPart(UriPartial.Authority), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>http(s)://localhost, 127.0.0.1 (or any 127/8) or [::1], any port.</summary>
    public static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && IsLoopbackHost(uri.Host);

    /// <summary>A host name that can only mean this machine: <c>localhost</c> or a loopback IP address.</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IsLoopback(ip));
}
