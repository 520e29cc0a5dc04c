namespace Twilio.ChatRooms.Http;

/// <summary>
/// The Twilio SDK takes no cancellation token and hands back no response headers, so the library puts an
/// <see cref="SdkCall"/> in <see cref="SdkCallContext"/> before each SDK call, and this handler (outside the retries)
/// links the call's token into the HTTP request and records the <c>Retry-After</c> of the answer the SDK will see.
/// </summary>
internal sealed class SdkCallHandler(TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = SdkCallContext.Current;
        if (call is null || !call.CancellationToken.CanBeCanceled)
        {
            return Record(call, await base.SendAsync(request, cancellationToken).ConfigureAwait(false));
        }

        call.CancellationToken.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken);
        return Record(call, await base.SendAsync(request, linked.Token).ConfigureAwait(false));
    }

    private HttpResponseMessage Record(SdkCall? call, HttpResponseMessage response)
    {
        if (call is not null)
        {
            call.RetryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => TimeSpan.FromTicks(Math.Max(0, (date - time.GetUtcNow()).Ticks)),
                _ => null,
            };
        }

        return response;
    }
}

/// <summary>One SDK call: its cancellation token, and what the handler learnt from its last answer.</summary>
internal sealed class SdkCall(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The <c>Retry-After</c> of the last answer (after the retries), if it had one.</summary>
    public TimeSpan? RetryAfter { get; set; }
}

/// <summary>The SDK call in progress on this async flow.</summary>
internal static class SdkCallContext
{
    private static readonly AsyncLocal<SdkCall?> CurrentCall = new();

    public static SdkCall? Current => CurrentCall.Value;

    /// <summary>Sets the call for the requests made until the returned scope is disposed.</summary>
    public static Scope Use(SdkCall call)
    {
        var previous = CurrentCall.Value;
        CurrentCall.Value = call;
        return new Scope(previous);
    }

    internal readonly struct Scope(SdkCall? previous) : IDisposable
    {
        public void Dispose() => CurrentCall.Value = previous;
    }
}
