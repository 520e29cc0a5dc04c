using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Tests;

public sealed class LoggingTests
{
    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner.Lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
        }
    }

    [Fact]
    public async Task EveryOperation_AtTraceLevel_LogsNoSecretOrToken()
    {
        const string authToken = "auth-token-that-must-never-be-logged";
        const string nameKey = "private-conversation-key-never-logged-0123";
        var capture = new CapturingProvider();
        var stub = new StubHandler((request, _) => Task.FromResult(request.Method == HttpMethod.Post
            ? StubHandler.Json(HttpStatusCode.Conflict, """{"code":50353,"message":"exists","status":409}""")
            : StubHandler.Json(HttpStatusCode.Unauthorized, """{"code":20003,"message":"Authenticate","status":401}""")));
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        services.AddTwilioChatRooms(o =>
        {
            Fake.Options(o);
            o.AuthToken = authToken;
            o.PrivateConversationKey = nameKey;
        }).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();
        var ct = TestContext.Current.CancellationToken;

        var token = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("alice", ct);
        await provider.GetRequiredService<ITokenIssuer>().RefreshAsync(token.Token, ct);
        await provider.GetRequiredService<ITokenIssuer>().ValidateAsync(token.Token, ct);
        await ((Func<Task>)(() => provider.GetRequiredService<ITokenIssuer>().ValidateAsync(token.Token[..^2], ct))).Should().ThrowAsync<ChatRoomsException>();
        await ((Func<Task>)(() => provider.GetRequiredService<ITokenIssuer>().RefreshAsync(token.Token + "x", ct))).Should().ThrowAsync<ChatRoomsException>();
        await ((Func<Task>)(() => provider.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync("room", ct))).Should().ThrowAsync<ChatRoomsException>();
        await ((Func<Task>)(() => provider.GetRequiredService<IChatRoomAdmin>().GetRoomAsync("room", ct))).Should().ThrowAsync<ChatRoomsException>();

        await ((Func<Task>)(() => provider.GetRequiredService<IPrivateConversations>().StartAsync("alice", "bob", ct))).Should().ThrowAsync<ChatRoomsException>();

        capture.Lines.Should().NotBeEmpty();
        capture.Lines.Should().AllSatisfy(line =>
        {
            line.Should().NotContain(authToken);
            line.Should().NotContain(nameKey);
            line.Should().NotContain(Fake.ApiKeySecret);
            line.Should().NotContain(token.Token);
            line.Should().NotContain(token.Token.Split('.')[2], "not even the signature");
            line.Should().NotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Fake.AccountSid}:{authToken}")));
        });
    }
}
