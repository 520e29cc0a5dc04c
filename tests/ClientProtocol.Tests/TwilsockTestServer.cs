using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace ClientProtocol.Tests;

/// <summary>
/// The emulator's real twilsock endpoint and sessions on a real loopback port. Behind the transport stand a token
/// rule of the test's own (<c>identity|service|unix expiry</c>, so a test can make a token that expires when it
/// wants) and a REST face that echoes what arrived: what is under test here is the transport, not the resources.
/// </summary>
internal sealed class TwilsockTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TwilsockTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Uri TwilsockUri => new($"ws://{Address.Authority}/emulator{TwilsockEndpoint.Path}");

    public TwilsockSessions Sessions => _app.Services.GetRequiredService<TwilsockSessions>();

    public TwilsockAddresses Addresses => _app.Services.GetRequiredService<TwilsockAddresses>();

    /// <summary>
    /// A token of the test's own rule. A positive lifetime counts from when the server checks the token, so that a slow
    /// machine cannot make a short-lived token expire before it arrives; a negative one is already expired.
    /// </summary>
    public static string Token(string identity, TimeSpan lifetime, string service = "IS00000000000000000000000000000001") =>
        $"{identity}|{service}|{(long)lifetime.TotalMilliseconds}";

    /// <summary>Starts one; <paramref name="logs"/>, when given, receives everything logged, from Debug up.</summary>
    public static async Task<TwilsockTestServer> StartAsync(Action<TwilsockOptions>? configure = null, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TwilsockSessions>();
        builder.Services.AddSingleton<TwilsockAddresses>();
        builder.Services.AddOptions<TwilsockOptions>().Configure(o => configure?.Invoke(o));
        builder.Services.AddSingleton<ITwilsockAuthenticator, TestTokens>();
        builder.Services.AddSingleton<ITwilsockRequestHandler, EchoFace>();
        var app = builder.Build();
        TwilsockEndpoint.MapTwilsock(app, "/emulator");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TwilsockTestServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class TestTokens : ITwilsockAuthenticator
    {
        public ValueTask<TwilsockAuthentication> AuthenticateAsync(string? token, CancellationToken cancellationToken)
        {
            var parts = token?.Split('|') ?? [];
            if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var lifetimeMs))
            {
                return ValueTask.FromResult(TwilsockAuthentication.Refused(TwilsockAuthentication.InvalidToken, "Invalid access token"));
            }

            var expires = DateTimeOffset.UtcNow.AddMilliseconds(lifetimeMs);
            return ValueTask.FromResult(lifetimeMs <= 0
                ? TwilsockAuthentication.Refused(TwilsockAuthentication.ExpiredToken, "Access token expired")
                : TwilsockAuthentication.Accepted(new TwilsockPrincipal(parts[0], parts[1], expires)));
        }
    }

    /// <summary>
    /// <c>/chat/Echo/...</c> answers what it received; <c>/chat/Status/N</c> answers N with Twilio's error body;
    /// <c>/chat/Notify</c> pushes the body back to every connection of the caller as a notification.
    /// </summary>
    private sealed class EchoFace(TwilsockSessions sessions) : ITwilsockRequestHandler
    {
        public Task<TunnelledResponse> HandleAsync(TwilsockSession session, TunnelledRequest request, CancellationToken cancellationToken)
        {
            var principal = session.Principal!;
            if (request.Path.StartsWith("/chat/Status/", StringComparison.Ordinal))
            {
                var status = int.Parse(request.Path["/chat/Status/".Length..], CultureInfo.InvariantCulture);
                return Task.FromResult(new TunnelledResponse(status, new JsonObject { ["status"] = status, ["code"] = 20404, ["message"] = "Not found" }));
            }

            if (request.Path == "/chat/Notify")
            {
                var payload = JsonNode.Parse(request.Body.Span)!;
                foreach (var other in sessions.ForIdentity(principal.ServiceSid, principal.Identity))
                {
                    other.Notify(new TwilsockNotification("test.notification", payload.DeepClone()));
                }

                return Task.FromResult(new TunnelledResponse(200, new JsonObject { ["sent"] = true }));
            }

            var query = new JsonObject();
            foreach (var (key, values) in request.Query)
            {
                query[key] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            return Task.FromResult(new TunnelledResponse(200, new JsonObject
            {
                ["identity"] = principal.Identity,
                ["method"] = request.Method,
                ["host"] = request.Host,
                ["path"] = request.Path,
                ["query"] = query,
                ["contentType"] = request.ContentType,
                ["body"] = Encoding.UTF8.GetString(request.Body.Span) is { Length: > 0 and < 1000 } body ? body : null,
                ["bodyBytes"] = request.Body.Length,
            }));
        }
    }
}
