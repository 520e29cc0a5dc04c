using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Faults;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>The emulator's REST transport: faults, Basic authentication, the route, and Twilio's JSON or error body.</summary>
internal sealed class RestEndpoint(RestRouter router, EmulatorCredentials credentials, FaultInjector faults, PublicOrigin publicOrigin,
    ILogger<RestEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context, string prefix)
    {
        var request = context.Request;
        var relative = RelativePath(context, prefix);

        // One server span per request, continuing the caller's trace (its traceparent, or ASP.NET Core's activity that
        // read it); the router names it after the route it finds, never after the path, which may hold an identity.
        using var activity = EmulatorTelemetry.Source.StartActivity(
            request.Method, ActivityKind.Server, EmulatorTelemetry.Parent(request.Headers.TraceParent, request.Headers.TraceState));
        activity?.SetTag("http.request.method", request.Method);
        RestResult result;
        try
        {
            await faults.ApplyAsync(context.RequestAborted).ConfigureAwait(false);
            Authorize(request);
            var form = await RestForm.ReadAsync(request, context.RequestAborted).ConfigureAwait(false);
            RefuseDotSegments(relative);
            var origin = $"{publicOrigin.Value}{request.PathBase}{prefix}";

            // As on Twilio, REST actions fire webhooks only when the request asks for them.
            using var writes = WriteOrigin.Use(WriteOrigin.Api(
                string.Equals(request.Headers["X-Twilio-Webhook-Enabled"], "true", StringComparison.OrdinalIgnoreCase)));
            result = router.Dispatch(request.Method, relative, form, request.Query, origin, credentials.AccountSid);
        }
        catch (EmulatorException e)
        {
            result = new RestResult(e.Status, Error(e));
            if (e.Status == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }
        }

        Log.RestAnswered(logger, request.Method, relative, result.Status);
        activity?.SetTag("http.response.status_code", result.Status);
        if (result.Status >= 500)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        if (EmulatorTelemetry.RefusalReason(result.Status) is { } refusal)
        {
            EmulatorTelemetry.Refused(refusal, "rest");
        }

        context.Response.StatusCode = result.Status;
        if (result.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(result.Body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Twilio's error body.</summary>
    public static JsonObject Error(EmulatorException e) => new()
    {
        ["code"] = e.Code,
        ["message"] = e.Message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{e.Code}",
        ["status"] = e.Status,
    };

    /// <summary>
    /// A <c>.</c> or <c>..</c> segment, raw or escaped (<c>%2E</c>), names nothing: 404, as Twilio answers, never the
    /// resource it would walk up to.
    /// </summary>
    private static void RefuseDotSegments(string relative)
    {
        foreach (var segment in relative.Split('/'))
        {
            if (Uri.UnescapeDataString(segment) is "." or "..")
            {
                throw TwilioErrors.NoSuch($"The requested resource {relative} was not found: a path segment may not be '.' or '..'");
            }
        }
    }

    private void Authorize(HttpRequest request)
    {
        if (!IsAccount(request, credentials))
        {
            throw TwilioErrors.Unauthenticated();
        }
    }

    /// <summary>Whether the request carries the account's Basic credentials (its auth token, or the API key).</summary>
    public static bool IsAccount(HttpRequest request, EmulatorCredentials credentials)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var user = decoded[..colon];
                    var password = decoded[(colon + 1)..];
                    return (user == credentials.AccountSid && password == credentials.AuthToken)
                        || (user == credentials.ApiKeySid && password == credentials.ApiKeySecret);
                }
            }
            catch (FormatException)
            {
                // Not Basic credentials.
            }
        }

        return false;
    }

    /// <summary>
    /// The request's path below the mount, still escaped. ASP.NET Core decodes the path except <c>%2F</c>, so a key
    /// such as a unique name or identity holding <c>/</c> (sent as <c>%2F</c>) cannot be told apart from a decoded
    /// <c>%</c> sequence; the raw request target keeps every escape, and the router unescapes each segment.
    /// </summary>
    private static string RelativePath(HttpContext context, string prefix)
    {
        var mount = context.Request.PathBase.Value + prefix;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is not null && raw.IndexOf("://", StringComparison.Ordinal) is > 0 and var scheme && raw[0] != '/')
        {
            // An absolute-form target (http://host/path): its path, still raw.
            var slash = raw.IndexOf('/', scheme + 3);
            raw = slash < 0 ? "/" : raw[slash..];
        }

        var path = raw is { Length: > 0 } && raw[0] == '/' ? raw.Split('?', 2)[0] : null;
        if (path is null)
        {
            mount = prefix;
            path = context.Request.Path.Value ?? "";
        }
        else if (!path.StartsWith(mount, StringComparison.OrdinalIgnoreCase))
        {
            // The server reached the mount only by normalising the path (such as /x/../emulator/...): keep the raw
            // path, whose dot segments are refused.
            return path;
        }

        var relative = path.StartsWith(mount, StringComparison.OrdinalIgnoreCase) ? path[mount.Length..] : path;
        return relative.Length == 0 ? "/" : relative;
    }
}
