using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Media;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.MediaService;

/// <summary>
/// The emulator's Media Content Service, plain HTTP as Twilio's (mcs.us1.twilio.com) and @twilio/mcs-client speak it,
/// under <c>{mount}/mcs</c>: <c>POST v1/Services/{IS}/Media</c> uploads (a raw body with its <c>Content-Type</c>, or a
/// browser's multipart FormData; <c>Category</c> and <c>Filename</c> in the query), <c>GET …/Media/{ME}</c> answers a
/// file's record with a temporary content URL, <c>GET …/Media/{ME}/Content</c> its bytes, and <c>POST …/MediaSet</c>
/// several records at once. A chat user authenticates with the access token in <c>X-Twilio-Token</c>, the server with
/// the account's Basic credentials. The temporary URLs (<c>{mount}/mcs/content/{token}</c>) need no credentials and
/// work for <see cref="TwilioLimits.TemporaryContentUrlLifetime"/>. Content is served as stored, never sniffed, and,
/// but for common image types, as a download under a sandboxing policy, so an uploaded page cannot run at this origin.
/// </summary>
internal sealed class MediaServiceEndpoint(MediaRules media, MediaLinks links, ITwilsockAuthenticator tokens, EmulatorCredentials credentials,
    TimeProvider time, ILogger<MediaServiceEndpoint> logger)
{
    /// <summary>Shown inline; anything else is a download under <see cref="Sandbox"/>.</summary>
    private static readonly string[] InlineTypes = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif"];

    private const string Sandbox = "sandbox; default-src 'none'";

    // Temporary URLs name a file and an expiry, sealed with a key that lives as long as the process, as a signed
    // storage URL would: nothing to store, nothing to guess, no hand-made signature.
    private readonly IDataProtector _urls = new EphemeralDataProtectionProvider().CreateProtector("Twilio.ChatRooms.Emulator.MediaContent");

    /// <summary>Maps the service under <paramref name="normalizedPrefix"/> and tells <see cref="MediaLinks"/> where it is.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string normalizedPrefix)
    {
        endpoints.ServiceProvider.GetRequiredService<MediaLinks>().Mount = normalizedPrefix;
        return endpoints.Map(normalizedPrefix + "/" + MediaLinks.Segment + "/{**path}",
            context => context.RequestServices.GetRequiredService<MediaServiceEndpoint>().HandleAsync(context));
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = ((string?)context.GetRouteValue("path") ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        Cors(context);
        if (HttpMethods.IsOptions(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        // One server span per request, as for REST, named after the route: never the path, whose temporary URL is a
        // credential while it lasts.
        var route = Route(segments);
        using var activity = EmulatorTelemetry.Source.StartActivity(ActivityKind.Server,
            EmulatorTelemetry.Parent(request.Headers.TraceParent, request.Headers.TraceState), name: $"{request.Method} {route}");
        activity?.SetTag("http.request.method", request.Method);
        activity?.SetTag("http.route", route);
        try
        {
            await DispatchAsync(context, segments).ConfigureAwait(false);
        }
        finally
        {
            var status = context.Response.StatusCode;
            activity?.SetTag("http.response.status_code", status);
            if (status >= 500)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            if (EmulatorTelemetry.RefusalReason(status) is { } refusal)
            {
                EmulatorTelemetry.Refused(refusal, "mcs");
            }
        }
    }

    /// <summary>The route template of a request, for its span: what the service serves, or <c>/mcs/{path}</c>.</summary>
    private static string Route(string[] segments) => segments switch
    {
        ["content", _] => "/mcs/content/{token}",
        ["v1", "Services", _, "Media"] => "/mcs/v1/Services/{service}/Media",
        ["v1", "Services", _, "Media", _] => "/mcs/v1/Services/{service}/Media/{media}",
        ["v1", "Services", _, "Media", _, "Content"] => "/mcs/v1/Services/{service}/Media/{media}/Content",
        ["v1", "Services", _, "MediaSet"] => "/mcs/v1/Services/{service}/MediaSet",
        _ => "/mcs/{path}",
    };

    private async Task DispatchAsync(HttpContext context, string[] segments)
    {
        var request = context.Request;
        try
        {
            switch (request.Method, segments)
            {
                case ("GET" or "HEAD", ["content", var token]):
                    var (ofService, named) = Unseal(token);
                    await ServeAsync(context, media.Fetch(ofService, named, null)).ConfigureAwait(false);
                    return;
                case ("POST", ["v1", "Services", var service, "Media"]):
                    var uploader = await CallerAsync(request, service).ConfigureAwait(false);
                    if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                    {
                        // The server's default (30 MB) is below Twilio's file limit; the copy enforces the limit itself.
                        size.MaxRequestBodySize = TwilioLimits.MaxMediaSize + (1 << 20);
                    }

                    var (body, type, name) = await UploadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
                    var created = await media.UploadAsync(service, uploader ?? "system", type, request.Query["Filename"].FirstOrDefault() ?? name,
                        request.Query["Category"], body, context.RequestAborted).ConfigureAwait(false);
                    await JsonAsync(context, StatusCodes.Status201Created, Json(created)).ConfigureAwait(false);
                    return;
                case ("GET", ["v1", "Services", var service, "Media", var sid]):
                    var reader = await CallerAsync(request, service).ConfigureAwait(false);
                    await JsonAsync(context, StatusCodes.Status200OK, Json(media.Fetch(service, sid, reader))).ConfigureAwait(false);
                    return;
                case ("GET" or "HEAD", ["v1", "Services", var service, "Media", var sid, "Content"]):
                    var viewer = await CallerAsync(request, service).ConfigureAwait(false);
                    await ServeAsync(context, media.Fetch(service, sid, viewer)).ConfigureAwait(false);
                    return;
                case ("POST", ["v1", "Services", var service, "MediaSet"]):
                    var asker = await CallerAsync(request, service).ConfigureAwait(false);
                    await JsonAsync(context, StatusCodes.Status200OK, await MediaSetAsync(request, service, asker, context.RequestAborted).ConfigureAwait(false))
                        .ConfigureAwait(false);
                    return;
                default:
                    throw TwilioErrors.Unsupported(request.Method, request.Path);
            }
        }
        catch (EmulatorException e)
        {
            // A temporary URL's token is a credential while it lasts: never logged.
            Log.RestAnswered(logger, request.Method, segments is ["content", _] ? $"{links.Mount}/{MediaLinks.Segment}/content/…" : request.Path.Value ?? "", e.Status);
            if (!context.Response.HasStarted)
            {
                await JsonAsync(context, e.Status, RestEndpoint.Error(e)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The identity of the request's access token, or null for the account's Basic credentials; 401 otherwise.</summary>
    private async Task<string?> CallerAsync(HttpRequest request, string serviceSid)
    {
        if (request.Headers["X-Twilio-Token"].FirstOrDefault() is { Length: > 0 } token)
        {
            var answer = await tokens.AuthenticateAsync(token, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (answer.Principal is not { } principal)
            {
                throw new EmulatorException(401, answer.ErrorCode, answer.Reason);
            }

            // A token is for one service: another's files do not exist for it.
            return principal.ServiceSid == serviceSid ? principal.Identity : throw TwilioErrors.NotFound($"/Services/{serviceSid}");
        }

        return RestEndpoint.IsAccount(request, credentials) ? null : throw TwilioErrors.Unauthenticated();
    }

    /// <summary>
    /// The upload's bytes and content type: the raw body (mcs-client's <c>post</c>), or the first file of a multipart
    /// form (its <c>postFormData</c>, a browser's FormData), read as a stream either way.
    /// </summary>
    private static async Task<(Stream Body, string? ContentType, string? FileName)> UploadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (request.Body, request.ContentType, null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "The multipart form has no boundary");
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                return (section.Body, section.ContentType, HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
            }
        }

        throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "The multipart form holds no file");
    }

    /// <summary>mcs-client's MediaSet: <c>{command: "get", list: [{media_sid}]}</c>, answered item by item with a code.</summary>
    private async Task<JsonArray> MediaSetAsync(HttpRequest request, string serviceSid, string? identity, CancellationToken cancellationToken)
    {
        JsonNode? query;
        try
        {
            query = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "The MediaSet query is not JSON");
        }

        if (query?["command"]?.GetValueKind() != JsonValueKind.String || (string?)query["command"] != "get" || query["list"] is not JsonArray list
            || list.Count > 100)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "A MediaSet query is {\"command\": \"get\", \"list\": [{\"media_sid\": ...}]} of at most 100 files");
        }

        var answers = new JsonArray();
        foreach (var item in list)
        {
            var sid = item?["media_sid"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
            try
            {
                answers.Add(new JsonObject { ["code"] = 200, ["media_record"] = Json(media.Fetch(serviceSid, sid, identity)) });
            }
            catch (EmulatorException e)
            {
                answers.Add(new JsonObject { ["code"] = e.Status, ["media_record"] = new JsonObject { ["sid"] = sid } });
            }
        }

        return answers;
    }

    private JsonObject Json(MediaRecord file) => MediaJson.Media(credentials.AccountSid, file, links, TemporaryUrl(file));

    private string TemporaryUrl(MediaRecord file)
    {
        var expires = (time.GetUtcNow() + TwilioLimits.TemporaryContentUrlLifetime).ToUnixTimeSeconds();
        return $"{links.Root}/content/{_urls.Protect($"{file.ServiceSid} {file.Sid} {expires.ToString(CultureInfo.InvariantCulture)}")}";
    }

    /// <summary>The file a temporary URL names; 404 when it is not one of this process's, or has expired.</summary>
    private (string ServiceSid, string Sid) Unseal(string token)
    {
        string plain;
        try
        {
            plain = _urls.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw TwilioErrors.NoSuch("This content URL is not valid");
        }

        var parts = plain.Split(' ');
        return parts.Length == 3 && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var expires) && time.GetUtcNow().ToUnixTimeSeconds() < expires
            ? (parts[0], parts[1])
            : throw TwilioErrors.NoSuch("This content URL has expired: ask the media service for a new one");
    }

    /// <summary>The bytes as stored, with range requests; anything but a common image as a sandboxed download.</summary>
    private async Task ServeAsync(HttpContext context, MediaRecord file)
    {
        var stream = media.Open(file);
        var headers = context.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers.CacheControl = "private, no-store";
        var inline = MediaTypeHeaderValue.TryParse(file.ContentType, out var type)
            && InlineTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase);
        if (!inline)
        {
            headers.ContentSecurityPolicy = Sandbox;
        }

        await Results.Stream(stream, file.ContentType, inline ? null : file.Filename ?? file.Sid, enableRangeProcessing: true)
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Lets pages of the origins the emulator admits (loopback ones of any port, its own, <c>AllowedOrigins</c>; the gate
    /// refuses others before this runs) call the service, with the token header and range requests.
    /// </summary>
    private static void Cors(HttpContext context)
    {
        string? origin = context.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.Vary = HeaderNames.Origin;
        headers.AccessControlAllowMethods = "GET, HEAD, POST, OPTIONS";
        headers.AccessControlAllowHeaders = "X-Twilio-Token, Content-Type, Authorization, Range";
        headers.AccessControlExposeHeaders = "Content-Length, Content-Range, Content-Disposition";
        headers.AccessControlMaxAge = "600";
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
