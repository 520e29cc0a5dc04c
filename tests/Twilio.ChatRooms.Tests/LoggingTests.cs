using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task EveryOperation_AtTraceLevel_LogsNoSecretOrToken()
    {
        const string authToken = "auth-token-that-must-never-be-logged";
        const string nameKey = "private-conversation-key-never-logged-0123";
        var capture = new CapturingLoggerProvider();
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

        capture.Entries.Select(e => e.ToString()).Should().NotBeEmpty();
        capture.Entries.Select(e => e.ToString()).Should().AllSatisfy(line =>
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
