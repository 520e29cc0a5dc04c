using System.Net;

namespace WebApiHost.Tests;

/// <summary>
/// <c>GET /rooms/events</c> needs a session, and open streams are capped per user (<c>Chat:RateLimits:RoomStreamsPerClient</c>)
/// and in all (<c>Chat:RateLimits:RoomStreamsTotal</c>): past a cap 429 problem+json with <c>Retry-After</c>, and a
/// closed stream gives its slot back.
/// </summary>
public sealed class RoomStreamLimitTests
{
    [Fact]
    public async Task RoomEvents_WithoutSession_Is401Problem()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true };
        using var client = host.CreateRealClient();

        using var response = await client.GetAsync("/rooms/events", HttpCompletionOption.ResponseHeadersRead, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SignedInUser.ProblemAsync(response)).GetProperty("title").GetString().Should().Be("Sign in first");
    }

    [Fact]
    public async Task RoomEvents_PastThePerUserCap_Is429WithRetryAfter_AndAClosedStreamFreesItsSlot()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true, Settings = Caps(perClient: 2, total: 100) };
        var alice = await SignedInUser.LogInAsync(host, SignedInUser.NewName("alice"));
        var first = await OpenAsync(alice);
        using var second = await OpenAsync(alice);

        using var refused = await OpenAsync(alice);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        (await SignedInUser.ProblemAsync(refused)).GetProperty("title").GetString().Should().Be("Too many open room lists");
        using var bob = await OpenAsync(await SignedInUser.LogInAsync(host, SignedInUser.NewName("bob")));
        bob.StatusCode.Should().Be(HttpStatusCode.OK, "the cap is per user");

        first.Dispose();   // the browser closes one: the host sees the connection go and frees the slot
        using var again = await OpenUntilAcceptedAsync(alice);

        again.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RoomEvents_PastTheTotalCap_Is429ForEveryone()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true, Settings = Caps(perClient: 8, total: 2) };
        var alice = await SignedInUser.LogInAsync(host, SignedInUser.NewName("alice"));
        var bob = await SignedInUser.LogInAsync(host, SignedInUser.NewName("bob"));
        using var one = await OpenAsync(alice);
        using var two = await OpenAsync(alice);

        using var refused = await OpenAsync(bob);

        one.StatusCode.Should().Be(HttpStatusCode.OK);
        two.StatusCode.Should().Be(HttpStatusCode.OK);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private static Dictionary<string, string> Caps(int perClient, int total) => new()
    {
        ["Chat:RateLimits:RoomStreamsPerClient"] = perClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Chat:RateLimits:RoomStreamsTotal"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Task<HttpResponseMessage> OpenAsync(SignedInUser user)
        => user.Session.Client.GetAsync("/rooms/events", HttpCompletionOption.ResponseHeadersRead, Ct);

    /// <summary>
    /// Opens a stream, again while the host has not yet seen a closed one go (it learns it from the socket, a moment
    /// later); bounded so that a slot that is never freed fails the test instead of hanging it.
    /// </summary>
    private static async Task<HttpResponseMessage> OpenUntilAcceptedAsync(SignedInUser user)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await OpenAsync(user);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 200)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100, Ct);
        }
    }
}
