using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms;

namespace Twilio.ChatRooms.Tests;

// The library against a stubbed Twilio: fake credentials, a handler that answers instead of the network, a clock
// the test moves. (The test kit shared by every project is tests/TestSupport.)

/// <summary>Well-formed credentials that Twilio would never accept.</summary>
internal static class Fake
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ApiKeySid = "SK0123456789abcdef0123456789abcdef";
    public const string ApiKeySecret = "fake-api-key-secret-of-enough-bytes!";
    public const string ServiceSid = "IS0123456789abcdef0123456789abcdef";

    public static void Options(TwilioChatRoomsOptions o)
    {
        o.AccountSid = AccountSid;
        o.ApiKeySid = ApiKeySid;
        o.ApiKeySecret = ApiKeySecret;
        o.ServiceSid = ServiceSid;
        o.BaseAddress = new Uri("http://127.0.0.1:9/emulator");
    }

    /// <summary>The library over <paramref name="primary"/> instead of the network.</summary>
    public static ServiceProvider Services(HttpMessageHandler primary, Action<TwilioChatRoomsOptions>? configure = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddTwilioChatRooms(o =>
        {
            Options(o);
            configure?.Invoke(o);
        }).ConfigurePrimaryHttpMessageHandler(() => primary);
        return services.BuildServiceProvider(validateScopes: true);
    }
}

/// <summary>Answers every request with <see cref="Respond"/>, and counts them.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _count;

    public StubHandler()
        : this((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)))
    {
    }

    public int Count => _count;

    public List<Uri> Uris { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        lock (Uris)
        {
            Uris.Add(request.RequestUri!);
        }

        return respond(request, cancellationToken);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
