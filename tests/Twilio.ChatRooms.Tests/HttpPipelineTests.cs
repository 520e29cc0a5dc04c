using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Timeout;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.Tests;

public sealed class HttpPipelineTests
{
    private static async Task<Uri> SendThrough(Uri? baseAddress, string url)
    {
        var stub = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var invoker = new HttpMessageInvoker(new BaseAddressHandler(baseAddress) { InnerHandler = stub });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        return stub.Uris.Single();
    }

    [Fact]
    public async Task BaseAddress_TwilioHost_IsRewrittenUnderBasePath()
    {
        var uri = await SendThrough(new Uri("http://127.0.0.1:5000/emulator"), "https://conversations.twilio.com/v1/Services/IS1/Conversations?PageSize=100&Page=1");

        uri.ToString().Should().Be("http://127.0.0.1:5000/emulator/v1/Services/IS1/Conversations?PageSize=100&Page=1");
    }

    [Fact]
    public async Task BaseAddress_TrailingSlashAndEscapedName_KeepsPathExactly()
    {
        var uri = await SendThrough(new Uri("http://localhost:8080/"), "https://conversations.twilio.com/v1/Services/IS1/Conversations/a%20b%2Fc");

        uri.AbsoluteUri.Should().Be("http://localhost:8080/v1/Services/IS1/Conversations/a%20b%2Fc");
    }

    [Fact]
    public async Task BaseAddress_OtherHost_PassesUnchanged()
    {
        var uri = await SendThrough(new Uri("http://127.0.0.1:5000/emulator"), "http://127.0.0.1:6000/emulator/v1/Roles?Page=2");

        uri.ToString().Should().Be("http://127.0.0.1:6000/emulator/v1/Roles?Page=2");
    }

    [Fact]
    public async Task BaseAddress_Unset_PassesUnchanged()
    {
        var uri = await SendThrough(null, "https://conversations.twilio.com/v1/Configuration");

        uri.ToString().Should().Be("https://conversations.twilio.com/v1/Configuration");
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.TooManyRequests, true)]
    [InlineData("GET", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("GET", HttpStatusCode.BadGateway, true)]
    [InlineData("DELETE", HttpStatusCode.GatewayTimeout, true)]
    [InlineData("POST", HttpStatusCode.TooManyRequests, true)]
    [InlineData("POST", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("POST", HttpStatusCode.BadGateway, false)]
    [InlineData("POST", HttpStatusCode.GatewayTimeout, false)]
    [InlineData("GET", HttpStatusCode.NotFound, false)]
    [InlineData("POST", HttpStatusCode.Conflict, false)]
    [InlineData("GET", HttpStatusCode.InternalServerError, false)]
    public void ShouldRetry_Status_OnlyWhereSafe(string method, HttpStatusCode status, bool expected)
    {
        using var response = new HttpResponseMessage(status);

        ChatRoomsRegistration.ShouldRetry(Outcome.FromResult(response), new HttpMethod(method)).Should().Be(expected);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    public void ShouldRetry_ConnectionFailureOrTimeout_OnlyIdempotent(string method, bool expected)
    {
        ChatRoomsRegistration.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused")), new HttpMethod(method))
            .Should().Be(expected);
        ChatRoomsRegistration.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), new HttpMethod(method))
            .Should().Be(expected);
    }

    [Fact]
    public async Task Library_TwoTransient503sOnGet_RetriesAndSucceeds()
    {
        var calls = 0;
        var stub = new StubHandler((request, _) => Task.FromResult(Interlocked.Increment(ref calls) <= 2
            ? StubHandler.Json(HttpStatusCode.ServiceUnavailable, """{"code":20503,"message":"busy","status":503}""")
            : StubHandler.Json(HttpStatusCode.OK, """{"sid":"CH0123456789abcdef0123456789abcdef","unique_name":"lobby"}""")));
        await using var provider = Fake.Services(stub);

        var room = await provider.GetRequiredService<IChatRoomAdmin>().GetRoomAsync("lobby", TestContext.Current.CancellationToken);

        room.Should().Be(new ChatRoom("lobby", "CH0123456789abcdef0123456789abcdef"));
        stub.Count.Should().Be(3);
        stub.Uris.Should().AllSatisfy(u => u.AbsoluteUri.Should().StartWith("http://127.0.0.1:9/emulator/v1/Services/"));
    }

    [Fact]
    public async Task Library_Persistent429_ThrowsRateLimitedAfterBoundedRetries()
    {
        var stub = new StubHandler((_, _) =>
        {
            var response = StubHandler.Json(HttpStatusCode.TooManyRequests, """{"code":20429,"message":"Too Many Requests","status":429}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return Task.FromResult(response);
        });
        await using var provider = Fake.Services(stub);

        var act = () => provider.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync("busy", TestContext.Current.CancellationToken);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.RateLimited);
        e.Status.Should().Be(429);
        e.TwilioCode.Should().Be(20429);
        stub.Count.Should().Be(4, "one attempt and three retries");
    }

    [Fact]
    public async Task AddTwilioChatRooms_Twice_DoesNotStackHandlers()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(StubHandler.Json(HttpStatusCode.ServiceUnavailable, """{"code":20503,"message":"busy","status":503}""")));
        var services = new ServiceCollection();
        services.AddTwilioChatRooms(Fake.Options);
        services.AddTwilioChatRooms(Fake.Options).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IChatRoomAdmin>().GetRoomAsync("x", TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ChatRoomsException>();
        stub.Count.Should().Be(4, "one retry pipeline: one attempt and three retries");
    }

    [Fact]
    public async Task Library_PostOn502_IsNotRetried()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(StubHandler.Json(HttpStatusCode.BadGateway, """{"code":20500,"message":"bad gateway","status":502}""")));
        await using var provider = Fake.Services(stub);

        var act = () => provider.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync("once", TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ChatRoomsException>()).Which.Kind.Should().Be(ChatRoomsErrorKind.Unavailable);
        stub.Count.Should().Be(1);
    }

    [Fact]
    public async Task Library_PreCancelledToken_ThrowsWithoutRequest()
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => provider.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync("x", cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        stub.Count.Should().Be(0);
    }

    [Fact]
    public async Task Library_CancelledDuringSlowRequest_CancelsTheHttpRequest()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler(async (_, token) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(20), token);
            }
            catch (OperationCanceledException)
            {
                observed.TrySetResult(true);
                throw;
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        await using var provider = Fake.Services(stub);
        using var cts = new CancellationTokenSource();

        var call = provider.GetRequiredService<IChatRoomAdmin>().GetRoomAsync("slow", cts.Token);
        // Cancelled once the request is on the wire (a timer could fire before it gets there on a busy machine).
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await cts.CancelAsync();

        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
        (await observed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct)).Should().BeTrue("the HTTP request itself was cancelled");
        stub.Count.Should().Be(1);
    }
}
