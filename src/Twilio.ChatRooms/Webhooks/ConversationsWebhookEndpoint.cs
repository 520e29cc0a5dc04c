using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace Twilio.ChatRooms.Webhooks;

/// <summary>
/// The endpoint behind <c>MapTwilioConversationsWebhooks</c>: checks <c>X-Twilio-Signature</c> with the Twilio SDK's
/// <see cref="RequestValidator"/> and the account's auth token over the URL Twilio called (the public one when set),
/// refuses anything else with 403 and one log line, and hands the event to the registered handlers.
/// </summary>
internal sealed class ConversationsWebhookEndpoint(IOptions<TwilioChatRoomsOptions> options, IEnumerable<IConversationsWebhookHandler> handlers,
    ILogger<ConversationsWebhookEndpoint> logger)
{
    private readonly IConversationsWebhookHandler[] _handlers = [.. handlers];

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var isPost = HttpMethods.IsPost(request.Method);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in isPost && request.HasFormContentType
            ? await request.ReadFormAsync(cancellationToken).ConfigureAwait(false)
            : (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)request.Query)
        {
            parameters[key] = value.ToString();
        }

        var authToken = options.Value.AuthToken;
        var url = CalledUrl(request, options.Value.WebhookPublicUrl);
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        if (string.IsNullOrEmpty(authToken) || signature.Length == 0
            || !new RequestValidator(authToken).Validate(isPost ? url : url + request.QueryString, isPost ? parameters : [], signature))
        {
            Log.WebhookSignatureRefused(logger, request.Method, request.Path, string.IsNullOrEmpty(authToken)
                ? "no AuthToken is configured, so no signature can be checked"
                : signature.Length == 0 ? "no X-Twilio-Signature" : "X-Twilio-Signature does not match (is WebhookPublicUrl the address Twilio calls?)");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var webhookEvent = new ConversationsWebhookEvent(parameters);
        if (webhookEvent.IsPreEvent)
        {
            await DecideAsync(context, webhookEvent, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            foreach (var handler in _handlers)
            {
                await handler.OnPostEventAsync(webhookEvent, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // a handler's failure is Twilio's 500, never a stack trace in the answer
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.WebhookHandlerFailed(logger, webhookEvent.EventType, e);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The URL Twilio signed: the public address when one is set (a proxy in front), else the request's own.</summary>
    private static string CalledUrl(HttpRequest request, Uri? publicUrl) => publicUrl is null
        ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}"
        : publicUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + request.Path;

    private async Task DecideAsync(HttpContext context, ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var handler in _handlers)
        {
            WebhookDecision decision;
            try
            {
                decision = await handler.OnPreEventAsync(webhookEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // refused when a handler fails: a filter that cannot decide does not let things through
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                Log.WebhookHandlerFailed(logger, webhookEvent.EventType, e);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }

            if (decision.Refusal is { } reason)
            {
                Log.WebhookRefusedChange(logger, webhookEvent.EventType, reason);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(reason, cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (var (field, value) in decision.Changes)
            {
                changes[field] = value;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        if (changes.Count > 0)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(context.Response.Body, changes, WebhookJsonContext.Default.DictionaryStringString, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class WebhookJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
