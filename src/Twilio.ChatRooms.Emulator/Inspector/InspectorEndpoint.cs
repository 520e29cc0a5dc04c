using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Sms;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Inspector;

/// <summary>
/// The inspector's transport, at <c>{prefix}/inspector</c>: the page, its live part and the long poll that says when
/// to fetch it again, its script and style, and the two forms (faults, an inbound SMS). Basic authentication with the
/// emulator's credentials (a browser prompts for them), and forms only from the page's own origin.
/// </summary>
internal sealed class InspectorEndpoint(InspectorPage page, InspectorChanges changes, EmulatorFaults faults, SmsRules sms,
    EmulatorCredentials credentials, IHostApplicationLifetime lifetime, ILogger<InspectorEndpoint> logger)
{
    /// <summary>How long one poll waits for a change before the page asks again.</summary>
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(25);

    // No inline script or style anywhere: the page's script and style are its own files.
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IEndpointConventionBuilder[] Map(IEndpointRouteBuilder endpoints, string normalizedPrefix)
    {
        Task Handle(HttpContext context) =>
            context.RequestServices.GetRequiredService<InspectorEndpoint>().HandleAsync(context, normalizedPrefix);
        return
        [
            endpoints.Map(normalizedPrefix + "/inspector", Handle),
            endpoints.Map(normalizedPrefix + "/inspector/{**part}", Handle),
        ];
    }

    public async Task HandleAsync(HttpContext context, string prefix)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        if (!RestEndpoint.IsAccount(request, credentials))
        {
            // The browser asks for the account SID and auth token (or API key and secret), and sends them from then on.
            headers.WWWAuthenticate = "Basic realm=\"Conversations emulator\", charset=\"UTF-8\"";
            await WriteAsync(context, 401, "text/plain", "Sign in with the emulator's account SID and auth token (or API key SID and secret).")
                .ConfigureAwait(false);
            return;
        }

        var baseUrl = $"{request.PathBase}{prefix}";
        var part = (string?)context.GetRouteValue("part") ?? "";
        try
        {
            switch (request.Method, part)
            {
                case ("GET", ""):
                    await WriteAsync(context, 200, "text/html", page.Full(baseUrl, request.Query)).ConfigureAwait(false);
                    return;
                case ("GET", "live"):
                    // The version first: the part is at least as new, so a change after it is polled for, never missed.
                    headers["X-Inspector-Version"] = changes.Version.ToString(CultureInfo.InvariantCulture);
                    await WriteAsync(context, 200, "text/html", page.Live(baseUrl, request.Query)).ConfigureAwait(false);
                    return;
                case ("GET", "changes"):
                    await WriteAsync(context, 200, "text/plain", (await PollAsync(request, context.RequestAborted).ConfigureAwait(false))
                        .ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    return;
                case ("GET", "inspector.js"):
                    await WriteAsync(context, 200, "text/javascript", InspectorAssets.Script).ConfigureAwait(false);
                    return;
                case ("GET", "inspector.css"):
                    await WriteAsync(context, 200, "text/css", InspectorAssets.Style).ConfigureAwait(false);
                    return;
                case ("POST", "faults"):
                    RefuseOtherOrigins(request);
                    SetFaults(await RestForm.ReadAsync(request, context.RequestAborted).ConfigureAwait(false));
                    SeeOther(response, baseUrl + "/inspector?saved=faults#faults");
                    return;
                case ("POST", "sms"):
                    RefuseOtherOrigins(request);
                    var form = await RestForm.ReadAsync(request, context.RequestAborted).ConfigureAwait(false);
                    var added = sms.Receive(RestForm.Single(form, "From"), RestForm.Single(form, "To"), RestForm.Single(form, "Body"));
                    SeeOther(response, baseUrl + $"/inspector?saved=sms&added={added.Count.ToString(CultureInfo.InvariantCulture)}#sms");
                    return;
                default:
                    throw TwilioErrors.NotFound(request.Path.Value ?? "");
            }
        }
        catch (EmulatorException e)
        {
            Log.InspectorRefused(logger, request.Method, part, e.Status, e.Message);
            await WriteAsync(context, e.Status, "text/html", InspectorPage.Refusal(baseUrl, e)).ConfigureAwait(false);
        }
    }

    private async Task<long> PollAsync(HttpRequest request, CancellationToken requestAborted)
    {
        if (!long.TryParse(request.Query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "after must be a version number");
        }

        // A stopping host answers the poll at once rather than waiting for it.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        return await changes.WaitPastAsync(after, PollWait, ending.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// A form posted from another site's page (the browser would send the credentials it holds): refused. Browsers
    /// say where a request comes from in <c>Sec-Fetch-Site</c>, or else in <c>Origin</c> (<c>null</c> under the
    /// page's <c>Referrer-Policy: no-referrer</c>, so only Sec-Fetch-Site vouches for such a post). A client that sends
    /// neither is no browser.
    /// </summary>
    private static void RefuseOtherOrigins(HttpRequest request)
    {
        string? site = request.Headers["Sec-Fetch-Site"];
        string? origin = request.Headers.Origin;
        var refused = !string.IsNullOrEmpty(site)
            ? site != "same-origin"
            : !string.IsNullOrEmpty(origin) && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        if (refused)
        {
            throw TwilioErrors.Forbidden($"the inspector's forms are posted from its own page, not from {(string.IsNullOrEmpty(site) ? origin : site)}");
        }
    }

    /// <summary>Every field checked before any is set: a bad value changes nothing.</summary>
    private void SetFaults(IFormCollection form)
    {
        var tooMany = Number(form, nameof(EmulatorFaults.TooManyRequestsRate), 0, 1);
        var unavailable = Number(form, nameof(EmulatorFaults.ServiceUnavailableRate), 0, 1);
        var latency = Number(form, "LatencyMilliseconds", 0, 600_000);
        var jitter = Number(form, nameof(EmulatorFaults.LatencyJitter), 0, 1);
        var next429 = (int)Number(form, nameof(EmulatorFaults.FailNextRequests429), 0, 1_000_000, whole: true);
        var next503 = (int)Number(form, nameof(EmulatorFaults.FailNextRequests503), 0, 1_000_000, whole: true);
        var limits = RestForm.Single(form, nameof(EmulatorFaults.EnforceTwilioRateLimits)).ToString() is "on" or "true";
        faults.TooManyRequestsRate = tooMany;
        faults.ServiceUnavailableRate = unavailable;
        faults.Latency = TimeSpan.FromMilliseconds(latency);
        faults.LatencyJitter = jitter;
        faults.FailNextRequests429 = next429;
        faults.FailNextRequests503 = next503;
        faults.EnforceTwilioRateLimits = limits;
        Log.InspectorFaultsSet(logger, tooMany, unavailable, latency, jitter, next429, next503, limits);
    }

    private static double Number(IFormCollection form, string name, double min, double max, bool whole = false)
    {
        var text = RestForm.Single(form, name).ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value >= min && value <= max && (!whole || value == Math.Floor(value))
            ? value
            : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter,
                $"{name} must be {(whole ? "a whole number" : "a number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void SeeOther(HttpResponse response, string location)
    {
        response.StatusCode = StatusCodes.Status303SeeOther;
        response.Headers.Location = location;
    }

    private static Task WriteAsync(HttpContext context, int status, string mediaType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
