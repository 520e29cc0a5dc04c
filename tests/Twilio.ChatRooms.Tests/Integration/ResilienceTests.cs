using System.Diagnostics;

namespace Twilio.ChatRooms.Tests.Integration;

public sealed class ResilienceTests
{
    [Fact]
    public async Task Create_TwoInjected429s_RetriesAndSucceeds()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct); // resolve the service first
        lib.Server.Faults.FailNextRequests429 = 2;
        lib.Requests.Clear();

        var room = await lib.Admin.CreateRoomAsync("after-429", Ct);

        room.Name.Should().Be("after-429");
        lib.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)).Should().Be(3, "two 429s, then the create");
        (await lib.Admin.GetRoomAsync("after-429", Ct)).Should().Be(room);
    }

    [Fact]
    public async Task List_TwoInjected503s_RetriesAndSucceeds()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.CreateRoomAsync("survivor", Ct);
        lib.Server.Faults.FailNextRequests503 = 2;
        lib.Requests.Clear();

        var rooms = await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);

        rooms.Select(r => r.Name).Should().Contain("survivor");
        lib.Requests.Count(r => r.StartsWith("GET", StringComparison.Ordinal)).Should().Be(3, "two 503s, then the list");
        lib.Server.Faults.FailNextRequests503.Should().Be(0, "both injected 503s were answered");
    }

    [Fact]
    public async Task Create_Injected503_IsRetriedBecauseTheServerDidNotProcessIt()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        lib.Server.Faults.FailNextRequests503 = 1;
        lib.Requests.Clear();

        var room = await lib.Admin.CreateRoomAsync("post-after-503", Ct);

        room.Name.Should().Be("post-after-503");
        lib.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)).Should().Be(2, "the 503, then the create");
    }

    [Fact]
    public async Task Provision_UnderInjected429s_Succeeds()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Provisioner.EnsureParticipantRoleAsync(Ct);
        for (var i = 0; i < 6; i++)
        {
            await lib.Admin.CreateRoomAsync($"r{i}", Ct);
        }

        lib.Server.Faults.FailNextRequests429 = 3;

        var rooms = await lib.Provisioner.ProvisionAsync("grace", Ct);

        rooms.Should().HaveCount(6);
    }

    [Fact]
    public async Task Create_Persistent429_ThrowsRateLimited()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        lib.Server.Faults.TooManyRequestsRate = 1.0;
        lib.Requests.Clear();
        var clock = Stopwatch.StartNew();

        var act = () => lib.Admin.CreateRoomAsync("never", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.RateLimited);
        e.Status.Should().Be(429);
        e.TwilioCode.Should().Be(20429);
        e.RetryAfter.Should().Be(TimeSpan.FromSeconds(1), "the last answer's Retry-After is passed on");
        lib.Requests.Should().HaveCount(4, "one attempt and three bounded retries");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.9), "Retry-After: 1 is honoured between attempts");
    }

    [Fact]
    public async Task List_Persistent503WithoutRetryAfter_ThrowsUnavailableWithNoRetryAfter()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        lib.Server.Faults.ServiceUnavailableRate = 1.0;

        var act = async () => await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.Unavailable);
        e.Status.Should().Be(503);
        e.RetryAfter.Should().BeNull("the emulator's 503 names no wait");
    }

    [Fact]
    public async Task AnyCall_PreCancelledToken_ThrowsOperationCanceled()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await ((Func<Task>)(() => lib.Admin.CreateRoomAsync("x", cts.Token))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(() => lib.Provisioner.ProvisionAsync("x", cts.Token))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(() => lib.Tokens.IssueAsync("x", cts.Token))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(async () => await lib.Admin.ListRoomsAsync(cts.Token).ToListAsync(cts.Token))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task AnyCall_CancelledDuringInjectedLatency_ThrowsPromptly()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        // The emulator would answer in ten minutes: a call that ends at all within the test's bound was cancelled.
        lib.Server.Faults.Latency = TimeSpan.FromMinutes(10);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var call = lib.Admin.CreateRoomAsync("slow", cts.Token).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
    }
}
