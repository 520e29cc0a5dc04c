using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Jwt.AccessToken;

namespace Twilio.ChatRooms.Emulator.Tests.Realtime;

/// <summary>A refused hub call is one log line at Information, so no client can flood the error log.</summary>
public sealed class HubLoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RefusedHubCalls_AreLoggedOnceEach_AtInformation_WithoutAStackTrace()
    {
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddConversationsEmulator();
        await using var app = builder.Build();
        app.MapConversationsEmulator();
        await app.StartAsync(Ct);
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/emulator";
        var credentials = app.Services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Credentials!;
        using var http = Clients.Raw(new Uri(root), credentials);
        var service = (await http.GetFromJsonAsync<JsonElement>("v1/Configuration", Ct)).GetProperty("default_chat_service_sid").GetString();
        var token = new Token(credentials.AccountSid, credentials.ApiKeySid, credentials.ApiKeySecret, "carol",
            DateTime.UtcNow.AddHours(1), grants: [new ChatGrant { ServiceSid = service }]).ToJwt();
        await using var carol = new HubConnectionBuilder()
            .WithUrl(root + "/hub", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
        await carol.StartAsync(Ct);

        await Assert.ThrowsAsync<HubException>(() => carol.InvokeAsync<int>("SendMessage", "CH" + new string('0', 32), "hi", Ct));
        await Assert.ThrowsAsync<HubException>(() => carol.InvokeAsync<int>("SendMessage", "", "hi", Ct));
        await carol.StopAsync(Ct);
        await app.StopAsync(Ct);

        var refusals = logs.Entries.Where(e => e.Message.StartsWith("Refused hub call", StringComparison.Ordinal)).ToList();
        refusals.Should().HaveCount(2);
        refusals.Should().OnlyContain(e => e.Level == LogLevel.Information && e.Exception == null && e.Message.Contains("SendMessage of carol"));
        refusals[0].Message.Should().Contain("Twilio error 20404");
        logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Error, "a refusal is not an error");
        logs.Entries.Should().NotContain(e => e.Exception != null && e.Exception is HubException);
    }

    private sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyList<Entry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
