using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>What one attempt to call a webhook got: the status (null when none came), the time, the start of the answer, why it failed.</summary>
internal sealed record WebhookAttempt(int? Status, TimeSpan Duration, string? Response, string? Error, bool ConnectFailed)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Calls webhooks as Twilio does: the payload form-encoded in a POST, or as the query of a GET, signed with
/// <c>X-Twilio-Signature</c> (HMAC-SHA1 with the account's auth token over the URL and, for a POST, every parameter's
/// name and value sorted by name; base64), with the same <c>I-Twilio-Idempotency-Token</c> on every attempt. Each
/// attempt has Twilio's 5 seconds. No redirect is followed, at most <see cref="MaxResponse"/> characters of an answer
/// are read, and only loopback addresses are connected to unless remote clients are allowed (an emulator must not be
/// a way to reach other machines).
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public const int MaxResponse = 16 * 1024;

    private readonly HttpClient _http;
    private readonly string _authToken;
    private readonly TimeSpan _timeout;

    /// <param name="authToken">The account's auth token, which signs.</param>
    /// <param name="allowRemote">Whether addresses other than loopback ones may be called.</param>
    /// <param name="timeout">How long an attempt may take: Twilio's 5 seconds but in tests.</param>
    public WebhookSender(string authToken, bool allowRemote, TimeSpan timeout)
    {
        _authToken = authToken;
        _timeout = timeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowRemote, cancellationToken),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("TwilioProxy/1.1");
    }

    /// <summary>Twilio's signature of a request to <paramref name="url"/> with <paramref name="parameters"/> (none for a GET).</summary>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's signature is HMAC-SHA1: receivers validate exactly this
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>One attempt; never throws but for <paramref name="cancellationToken"/>.</summary>
    public async Task<WebhookAttempt> SendAsync(string url, string method, string idempotencyToken, IReadOnlyDictionary<string, string> payload,
        CancellationToken cancellationToken)
    {
        using var request = Request(url, method, idempotencyToken, payload);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var text = await ReadCappedAsync(stream, timeout.Token).ConfigureAwait(false);
                return new WebhookAttempt((int)response.StatusCode, clock.Elapsed, text, null, false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, clock.Elapsed, null, $"no answer within {_timeout.TotalSeconds:0} seconds", false);
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, clock.Elapsed, null, Describe(e), e.HttpRequestError == HttpRequestError.ConnectionError);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(string url, string method, string idempotencyToken, IReadOnlyDictionary<string, string> payload)
    {
        HttpRequestMessage request;
        string signature;
        if (method == "GET")
        {
            var query = string.Join("&", payload.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            // Signed as it goes on the wire: the URL escaped as it is sent.
            var full = new Uri(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query).AbsoluteUri;
            request = new HttpRequestMessage(HttpMethod.Get, full);
            signature = Sign(_authToken, full, []);
        }
        else
        {
            var escaped = new Uri(url).AbsoluteUri;
            request = new HttpRequestMessage(HttpMethod.Post, escaped) { Content = new FormUrlEncodedContent(payload) };
            signature = Sign(_authToken, escaped, payload);
        }

        request.Headers.Add("X-Twilio-Signature", signature);
        request.Headers.Add("I-Twilio-Idempotency-Token", idempotencyToken);
        return request;
    }

    private static async Task<string> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Pooled: a fresh 16 KiB for every answer (most are empty) was a cost per delivery.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponse);
        try
        {
            var read = 0;
            while (read < MaxResponse)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read, MaxResponse - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is { } inner && inner is not HttpRequestException ? $"{e.Message} ({inner.Message})" : e.Message;

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowRemote, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = allowRemote ? addresses : [.. addresses.Where(IPAddress.IsLoopback)];
        if (allowed.Length == 0)
        {
            throw new InvalidOperationException($"{endpoint.Host} is not a loopback address, and the emulator calls no other machine unless AllowRemoteClients is set");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
