using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Twilio.Security;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// One webhook request as a receiver saw it, and whether Twilio's own validator accepted its signature; its
/// <c>traceparent</c>, if it carried one.
/// </summary>
public sealed record ReceivedWebhook(string Method, string Url, IReadOnlyDictionary<string, string> Parameters, bool SignatureValid,
    string? IdempotencyToken, string? TraceParent = null)
{
    public string this[string name] => Parameters[name];

    public string EventType => Parameters.GetValueOrDefault("EventType") ?? "";

    /// <summary>The request's <c>X-Twilio-Signature</c>, as sent (a benchmark replays it with the same parameters).</summary>
    public string Signature { get; init; } = "";
}

/// <summary>
/// A webhook receiver on 127.0.0.1 (a free port): it validates every request's <c>X-Twilio-Signature</c> with the
/// Twilio SDK's <see cref="RequestValidator"/> and the account's auth token, records it, and answers 200, or, while
/// <see cref="Hold"/> is set, holds the request unanswered until released or aborted.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestValidator _validator;
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly List<ReceivedWebhook> _all = [];
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private WebhookReceiver(WebApplication app, string authToken)
    {
        _app = app;
        _validator = new RequestValidator(authToken);
    }

    /// <summary>The address webhooks are sent to (any path under it is accepted).</summary>
    public string Url { get; private set; } = "";

    /// <summary>While true, requests are recorded and then held unanswered.</summary>
    public bool Hold { get; set; }

    /// <summary>How long every request waits, once recorded, before it is answered (none by default): a slow receiver.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How many requests have been received so far (cheaper than counting <see cref="All"/>).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// What a validly signed request is answered: a status and a body (JSON when it starts with <c>{</c>); 200 and no
    /// body when unset.
    /// </summary>
    public Func<ReceivedWebhook, (int Status, string? Body)>? Answer { get; set; }

    /// <summary>When set, every validly signed request is answered 302 with this <c>Location</c>.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(string authToken, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, authToken);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(cancellationToken);
        receiver.Url = app.Urls.First().TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>Answers every held request (and stops holding).</summary>
    public void Release()
    {
        Hold = false;
        Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The next request received (in arrival order) that <paramref name="match"/> accepts, skipping others.</summary>
    public async Task<ReceivedWebhook> NextAsync(Func<ReceivedWebhook, bool> match, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var next = await _received.Reader.ReadAsync(timeout.Token);
            if (match(next))
            {
                return next;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        bool valid;
        string signature = request.Headers["X-Twilio-Signature"].ToString();
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }

            valid = _validator.Validate(url, parameters, signature);
        }
        else
        {
            foreach (var (key, value) in request.Query)
            {
                parameters[key] = value.ToString();
            }

            valid = _validator.Validate(url, new Dictionary<string, string>(), signature);
        }

        var received = new ReceivedWebhook(request.Method, url, parameters, valid, request.Headers["I-Twilio-Idempotency-Token"].ToString(),
            request.Headers.TraceParent.Count > 0 ? request.Headers.TraceParent.ToString() : null) { Signature = signature };
        var release = Volatile.Read(ref _release).Task;
        var hold = Hold;
        lock (_all)
        {
            _all.Add(received);
        }

        _received.Writer.TryWrite(received);
        Interlocked.Increment(ref _count);
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the caller gave up waiting
            }
        }

        if (hold)
        {
            await Task.WhenAny(release, Task.Delay(Timeout.Infinite, context.RequestAborted));
        }

        if (!valid)
        {
            context.Response.StatusCode = 403;
            return;
        }

        if (RedirectTo is { } location)
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = location;
            return;
        }

        var (status, body) = Answer?.Invoke(received) ?? (200, null);
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = body.StartsWith('{') ? "application/json" : "text/plain";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }
}
