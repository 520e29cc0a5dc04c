using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;

namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>
/// The library's webhook endpoint in a real host on a real port, called by the emulator as Twilio would: configured
/// through <see cref="IConversationsWebhookSettings"/>, signatures checked, typed events to the handlers, a pre-event
/// handler's refusal or change reaching the caller, and a forged request refused with 403 and one log line.
/// </summary>
public sealed class WebhookEndpointTests
{
    [Fact]
    public async Task EmulatorWebhooks_ReachTheHandlers_AndAPreEventHandlerRefusesOrChangesMessages()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var handler = new RecordingHandler();
        var logs = new ConcurrentQueue<string>();
        await using var host = await StartHostAsync(server, handler, logs);
        var endpoint = new Uri(host.Urls.First().TrimEnd('/') + "/twilio/conversations");
        var settings = host.Services.GetRequiredService<IConversationsWebhookSettings>();

        var set = await settings.SetAsync(new ConversationsWebhookSettings(endpoint, endpoint, ["onMessageAdd", "onMessageAdded"]), Ct);
        (await settings.GetAsync(Ct)).Should().BeEquivalentTo(set);
        set.PostWebhookUrl.Should().Be(endpoint);

        var room = await host.Services.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync("hooked", Ct);
        using var rest = Rest(server);
        var sent = await SendAsync(rest, room.Sid, "hello");
        var blocked = await SendAsync(rest, room.Sid, "a blocked word");
        var shouted = await SendAsync(rest, room.Sid, "shout this");

        sent.StatusCode.Should().Be(HttpStatusCode.Created);
        blocked.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the handler refused it");
        shouted.StatusCode.Should().Be(HttpStatusCode.Created);
        var bodies = JsonDocument.Parse(await rest.GetStringAsync($"v1/Conversations/{room.Sid}/Messages", Ct)).RootElement
            .GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()).ToList();
        bodies.Should().Equal("hello", "SHOUT THIS");

        var first = await handler.Posted.Reader.ReadAsync(Ct);
        var second = await handler.Posted.Reader.ReadAsync(Ct);
        (first.EventType, first.Body, first.ConversationSid, first.Source, first.IsPreEvent).Should().Be(("onMessageAdded", "hello", room.Sid, "API", false));
        second.Body.Should().Be("SHOUT THIS");
        handler.Asked.Select(e => e.Body).Should().Equal("hello", "a blocked word", "shout this");
        handler.Asked.Should().OnlyContain(e => e.IsPreEvent && e.EventType == "onMessageAdd");
        logs.Should().ContainSingle(l => l.Contains("refused onMessageAdd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebhooksSentWithGet_AreCheckedOverTheirQuery_AndReachTheHandlers()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var handler = new RecordingHandler();
        var logs = new ConcurrentQueue<string>();
        await using var host = await StartHostAsync(server, handler, logs);
        var endpoint = new Uri(host.Urls.First().TrimEnd('/') + "/twilio/conversations?tenant=a%20b");
        await host.Services.GetRequiredService<IConversationsWebhookSettings>()
            .SetAsync(new ConversationsWebhookSettings(endpoint, null, ["onMessageAdded"], "GET"), Ct);
        var room = await host.Services.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync("by get", Ct);
        using var rest = Rest(server);

        (await SendAsync(rest, room.Sid, "über & more")).StatusCode.Should().Be(HttpStatusCode.Created);

        var received = await handler.Posted.Reader.ReadAsync(Ct);
        (received.EventType, received.Body, received.Parameters["tenant"]).Should().Be(("onMessageAdded", "über & more", "a b"));
        logs.Should().NotContain(l => l.Contains("Refused a Twilio webhook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AForgedOrUnsignedRequest_Gets403AndOneLogLine_AndReachesNoHandler()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var handler = new RecordingHandler();
        var logs = new ConcurrentQueue<string>();
        await using var host = await StartHostAsync(server, handler, logs);
        var endpoint = new Uri(host.Urls.First().TrimEnd('/') + "/twilio/conversations");
        using var http = new HttpClient();
        var fields = new Dictionary<string, string> { ["EventType"] = "onMessageAdded", ["Body"] = "forged" };

        using var forged = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(fields) };
        forged.Headers.Add("X-Twilio-Signature", Convert.ToBase64String(Encoding.UTF8.GetBytes("not a signature")));
        var answer = await http.SendAsync(forged, Ct);
        var unsigned = await http.PostAsync(endpoint, new FormUrlEncodedContent(fields), Ct);

        (answer.StatusCode, unsigned.StatusCode).Should().Be((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden));
        logs.Where(l => l.Contains("Refused a Twilio webhook", StringComparison.Ordinal)).Should().HaveCount(2, "one line each");
        logs.Should().NotContain(l => l.Contains(server.Credentials.AuthToken, StringComparison.Ordinal));
        handler.Asked.Should().BeEmpty();
        handler.Posted.Reader.TryRead(out _).Should().BeFalse();
    }

    private static async Task<WebApplication> StartHostAsync(ConversationsEmulatorServer server, RecordingHandler handler, ConcurrentQueue<string> logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new QueueLogger(logs));
        builder.Services.AddTwilioChatRoomsOn(server.BaseAddress, server.Credentials);
        builder.Services.AddSingleton<IConversationsWebhookHandler>(handler);
        var app = builder.Build();
        app.MapTwilioConversationsWebhooks();
        await app.StartAsync(Ct);
        return app;
    }

    private static HttpClient Rest(ConversationsEmulatorServer server) => EmulatorClients.Raw(server);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient rest, string conversationSid, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/Conversations/{conversationSid}/Messages")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Body"] = body, ["Author"] = "alice" }),
        };
        request.Headers.Add("X-Twilio-Webhook-Enabled", "true");
        return await rest.SendAsync(request, Ct);
    }

    private sealed class RecordingHandler : IConversationsWebhookHandler
    {
        private readonly ConcurrentQueue<ConversationsWebhookEvent> _asked = new();

        public Channel<ConversationsWebhookEvent> Posted { get; } = Channel.CreateUnbounded<ConversationsWebhookEvent>();

        public IReadOnlyList<ConversationsWebhookEvent> Asked => [.. _asked];

        public Task OnPostEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            Posted.Writer.TryWrite(webhookEvent);
            return Task.CompletedTask;
        }

        public Task<WebhookDecision> OnPreEventAsync(ConversationsWebhookEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            _asked.Enqueue(webhookEvent);
            return Task.FromResult(webhookEvent.Body switch
            {
                { } body when body.Contains("blocked", StringComparison.Ordinal) => WebhookDecision.Refuse("a blocked word"),
                { } body when body.StartsWith("shout", StringComparison.Ordinal) =>
                    WebhookDecision.Modify(new Dictionary<string, string> { ["Body"] = body.ToUpperInvariant() }),
                _ => WebhookDecision.Allow,
            });
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
