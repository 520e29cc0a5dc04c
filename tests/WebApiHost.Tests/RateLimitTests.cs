using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace WebApiHost.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Login_BeyondThePerAddressLimit_Is429ProblemWithRetryAfter()
    {
        await using var factory = new ChatHostFactory { UsernameOnly = true, LoginPermitsPerMinutePerAddress = 2 };
        // Three browsers on one address.
        (await new HostSession(factory).PostAsync("/login", new { username = "limit-a" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await new HostSession(factory).PostAsync("/login", new { username = "limit-b" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var third = await new HostSession(factory).PostAsync("/login", new { username = "limit-c" });

        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter.Should().NotBeNull();
        third.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Login_AStrangerSpendingTheirBudgetOnMadeUpNames_LocksOutNobodyElse_ButThePerUsernameAndPerAddressLimitsHold()
    {
        await using var factory = new ChatHostFactory { LoginPermitsPerMinute = 3, LoginPermitsPerMinutePerAddress = 12 };
        const string password = "Per-username-budget1";
        var alice = SignedInUser.NewName("alice");
        using (var owner = new HostSession(factory))
        {
            await owner.CreateAccountAsync(alice, password);   // one of the address's 12
        }

        using var stranger = new HostSession(factory);
        var bogus = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            bogus.Add((await stranger.SignInAsync(SignedInUser.NewName("nobody"), "Wr0ng-password!")).StatusCode);
        }

        for (var i = 0; i < 4; i++)
        {
            bogus.Add((await stranger.SignInAsync("target", "Wr0ng-password!")).StatusCode);
        }

        using var browser = new HostSession(factory);
        var right = await browser.SignInAsync(alice, password);

        bogus.Should().Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 6), HttpStatusCode.TooManyRequests],
            "3 sign-ins a minute for one name from one address");
        right.StatusCode.Should().Be(HttpStatusCode.OK, "the stranger's failures on other names cost alice nothing");
        var overAddress = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            overAddress.Add((await stranger.SignInAsync(SignedInUser.NewName("more"), "Wr0ng-password!")).StatusCode);
        }

        overAddress.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests);   // 1 + 7 + 1 + 3 = 12 from the address, then no more
    }

    /// <summary>Every endpoint that creates something in the back end (users, tokens, memberships, conversations).</summary>
    [Theory]
    [InlineData("/token", null)]
    [InlineData("/rooms/join", "{\"room\": \"general\"}")]
    [InlineData("/rooms/leave", "{\"room\": \"general\"}")]
    [InlineData("/private-conversations", "{\"with\": \"OTHER\"}")]
    [InlineData("/account/passkeys/options", null)]
    public async Task Writes_BeyondThePerUserLimit_Are429ProblemWithRetryAfter(string path, string? json)
    {
        await using var factory = new ChatHostFactory { UsernameOnly = true, WritesPerMinute = 2 };
        var other = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
        var body = json?.Replace("OTHER", other.Identity, StringComparison.Ordinal);
        (await user.Session.PostAsync(path, body)).StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NoContent);
        (await user.Session.PostAsync(path, body)).StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NoContent);

        var third = await user.Session.PostAsync(path, body);

        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.RetryAfter!.Delta.Should().BePositive();
        (await SignedInUser.ProblemAsync(third)).GetProperty("title").GetString().Should().Be("Too many requests");
        (await other.Session.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.OK, "the budget is per user");
    }

    [Fact]
    public async Task Writes_SpoofedForwardingHeadersAndPathVariants_ShareOneBudget_AndTheRefusedJoinChangesNothing()
    {
        await using var factory = new ChatHostFactory { UsernameOnly = true, WritesPerMinute = 2 };
        var user = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("carol"));
        (await user.PostAsync("/rooms/leave", new { room = "random" })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await user.Session.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var spoofed = new HttpRequestMessage(HttpMethod.Post, "/ROOMS/Join/") { Content = JsonContent.Create(new { room = "random" }) };
        spoofed.Headers.Add("X-Forwarded-For", "203.0.113.7");
        spoofed.Headers.Add("X-Real-IP", "203.0.113.7");
        spoofed.Headers.Add("Forwarded", "for=203.0.113.7");
        var refused = await user.Session.SendAsync(spoofed);

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var rooms = await factory.Services.GetRequiredService<IParticipantProvisioner>().EnsureUserAsync(user.Identity, Ct);
        rooms.Select(r => r.Name).Should().NotContain("random", "the refused join did nothing");
    }

    [Theory]
    [InlineData("Chat__RateLimits__RoomStreamsTotal", "RoomStreamsTotal")]
    [InlineData("Login__PermitsPerMinutePerAddress", "PermitsPerMinutePerAddress")]
    [InlineData("Login__PermitsPerMinute", "PermitsPerMinute")]
    public async Task RateLimitsSetting_OutOfRange_TheProcessExitsWith1_NamingIt_WithoutAStackTrace(string variable, string named)
    {
        using var data = new TemporaryDirectory("bad-limits-");

        var (exitCode, output) = await HostProcess.RunToExitAsync(data.Path, new Dictionary<string, string> { [variable] = "0" });

        exitCode.Should().Be(1);
        output.Should().Contain("Not started").And.Contain(named);
        output.Should().NotContain("   at ", "no stack trace").And.NotContain("Unhandled exception").And.NotContain("Now listening");
    }
}
