using WebApiHost.Backend;

namespace WebApiHost.Headers;

/// <summary>
/// <c>Content-Security-Policy</c>, <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c> on
/// every answer (pages, the API, problems, the emulator's endpoints). The policy allows only the host's own scripts,
/// styles and connections (the emulator's twilsock is on the same host), Twilio's addresses on Twilio, and no framing.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>Outermost (a startup filter added first), so answers made before the app's own pipeline carry them too.</summary>
    public static void AddSecurityHeaders(this WebApplicationBuilder builder) =>
        builder.Services.AddTransient<IStartupFilter, SecurityHeadersFilter>();

    /// <summary>
    /// The policy for <paramref name="backend"/>: no inline script or style (the Vite build has none), and connections
    /// to this host ('self' covers its ws: and wss:, so the emulator's twilsock) and, on Twilio, to its SDK's
    /// <c>https://*.twilio.com</c> and <c>wss://*.twilio.com</c>. WebAuthn is not a fetch, so passkeys need nothing here.
    /// </summary>
    public static string ContentSecurityPolicy(ChatBackend backend) => string.Join("; ",
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        // Pictures in messages: the emulator's media service is this host; Twilio's temporary content URLs are its own.
        backend.IsEmulator ? "img-src 'self' data:"
            : backend.EmulatorOrigin is { } media ? $"img-src 'self' data: {Origin(media)}"
            : "img-src 'self' data: https://*.twilio.com",
        "font-src 'self'",
        backend.IsEmulator ? "connect-src 'self'"
            // An emulator of its own: its REST and media service, and its twilsock (ws: or wss: on the same port).
            : backend.EmulatorOrigin is { } emulator ? $"connect-src 'self' {Origin(emulator)} {(emulator.Scheme == "https" ? "wss" : "ws")}://{emulator.Authority}"
            : "connect-src 'self' https://*.twilio.com wss://*.twilio.com",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    private static string Origin(Uri origin) => origin.GetLeftPart(UriPartial.Authority);

    private sealed class SecurityHeadersFilter(ChatBackend backend) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var policy = ContentSecurityPolicy(backend);
            app.Use((context, nextMiddleware) =>
            {
                // When the answer starts: the exception handler clears headers set earlier.
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    // An answer with a policy of its own (the emulator's media service sandboxes files that are not
                    // pictures) keeps it, and gets this one too: a browser enforces both.
                    headers.ContentSecurityPolicy = headers.ContentSecurityPolicy.Count == 0
                        ? policy
                        : Microsoft.Extensions.Primitives.StringValues.Concat(headers.ContentSecurityPolicy, policy);
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "no-referrer";
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
