using System.Net;
using System.Net.Http.Json;

namespace WebApiHost.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Login_BeyondThePerAddressLimit_Is429ProblemWithRetryAfter()
    {
        await using var factory = new ChatHostFactory { LoginPermitsPerMinute = 2 };
        using var client = factory.CreateRealClient();
        var ct = TestContext.Current.CancellationToken;

        (await client.PostAsJsonAsync("/login", new { username = "limit-a" }, ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsJsonAsync("/login", new { username = "limit-b" }, ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        var third = await client.PostAsJsonAsync("/login", new { username = "limit-c" }, ct);

        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.Should().NotBeNull();
        third.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
