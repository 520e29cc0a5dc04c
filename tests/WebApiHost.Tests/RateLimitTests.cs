using System.Net;
using System.Net.Http.Json;

namespace WebApiHost.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Login_BeyondThePerAddressLimit_Is429ProblemWithRetryAfter()
    {
        await using var factory = new ChatHostFactory { UsernameOnly = true, LoginPermitsPerMinute = 2 };
        // Three browsers on one address.
        (await new HostSession(factory).PostAsync("/login", new { username = "limit-a" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await new HostSession(factory).PostAsync("/login", new { username = "limit-b" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var third = await new HostSession(factory).PostAsync("/login", new { username = "limit-c" });

        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.Should().NotBeNull();
        third.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
