using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary>
/// A 429 or 503 that outlasts the library's retries reaches the browser as 429/503 problem+json with
/// <c>Retry-After</c>: Twilio's own value when it sent one (the emulator's 429 says 1 s), else the host's default (5 s).
/// Through the real host on its emulator, with the emulator's fault injection at a rate of 1.
/// </summary>
public sealed class BackendRetryAfterTests
{
    [Fact]
    public async Task Join_WhileTheBackEndAnswers429_Is429ProblemWithTwiliosRetryAfter_AndChangesNothing()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true };
        var user = await SignedInUser.LogInAsync(host, SignedInUser.NewName("dave"));
        (await user.PostAsync("/rooms/leave", new { room = "random" })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        Faults(host).TooManyRequestsRate = 1.0;

        var response = await user.PostAsync("/rooms/join", new { room = "random" });

        Faults(host).TooManyRequestsRate = 0;
        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1), "the emulator, like Twilio, said Retry-After: 1");
        (await SignedInUser.ProblemAsync(response)).GetProperty("title").GetString().Should().Be("Cannot join the room");
        (await MembershipsAsync(host, user.Identity)).Should().NotContain("random");
    }

    [Fact]
    public async Task PrivateConversation_WhileTheBackEndAnswers503_Is503ProblemWithTheDefaultRetryAfter()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true };
        var user = await SignedInUser.LogInAsync(host, SignedInUser.NewName("erin"));
        Faults(host).ServiceUnavailableRate = 1.0;

        var started = await user.PostAsync("/private-conversations", new { with = user.Identity + "-friend" });

        Faults(host).ServiceUnavailableRate = 0;
        started.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        started.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5), "the emulator's 503 names no wait, so the host's default");
        (await SignedInUser.ProblemAsync(started)).GetProperty("title").GetString().Should().Be("Cannot start the private conversation");
    }

    private static EmulatorFaults Faults(ChatHostFactory host)
        => host.Services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value.Faults;

    private static async Task<IReadOnlyList<string>> MembershipsAsync(ChatHostFactory host, string identity)
        => [.. (await host.Services.GetRequiredService<IParticipantProvisioner>().EnsureUserAsync(identity, Ct)).Select(r => r.Name)];
}
