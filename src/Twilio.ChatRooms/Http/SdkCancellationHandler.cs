namespace Twilio.ChatRooms.Http;

/// <summary>
/// The Twilio SDK takes no cancellation token, so the library sets one in <see cref="SdkCallContext"/> before each
/// SDK call and this handler links it into the HTTP request, which is then really cancelled.
/// </summary>
internal sealed class SdkCancellationHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var callToken = SdkCallContext.Current;
        if (!callToken.CanBeCanceled)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        callToken.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callToken);
        return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
    }
}

/// <summary>The cancellation token of the SDK call in progress on this async flow.</summary>
internal static class SdkCallContext
{
    private static readonly AsyncLocal<CancellationToken> CurrentToken = new();

    public static CancellationToken Current => CurrentToken.Value;

    /// <summary>Sets the token for the calls made until the returned scope is disposed.</summary>
    public static Scope Use(CancellationToken cancellationToken)
    {
        var previous = CurrentToken.Value;
        CurrentToken.Value = cancellationToken;
        return new Scope(previous);
    }

    internal readonly struct Scope(CancellationToken previous) : IDisposable
    {
        public void Dispose() => CurrentToken.Value = previous;
    }
}
