using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>An emulator in a host whose every log entry (exceptions included) a test can read.</summary>
public sealed class LoggedEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private LoggedEmulator(WebApplication app, CapturingLoggerProvider logs, Uri root, EmulatorCredentials credentials)
    {
        _app = app;
        Logs = logs;
        Root = root;
        Credentials = credentials;
    }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>The emulator's mount, such as <c>http://127.0.0.1:1234/emulator</c>.</summary>
    public Uri Root { get; }

    public EmulatorCredentials Credentials { get; }

    /// <summary>The host's services, for what a test reads inside the emulator (such as its store).</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<LoggedEmulator> StartAsync(CancellationToken cancellationToken)
    {
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddConversationsEmulator();
        var app = builder.Build();
        app.MapConversationsEmulator();
        await app.StartAsync(cancellationToken);
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/emulator";
        var credentials = app.Services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!;
        return new LoggedEmulator(app, logs, new Uri(root), credentials);
    }

    /// <summary>Stops the host (every log line is in after it); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
