using FluentAssertions;

namespace AdminConsole.Tests;

/// <summary><c>webhooks show</c>, <c>set</c> and <c>clear</c> against a real emulator.</summary>
public sealed class WebhooksTests
{
    private static async Task<CliResult> RunAsync(TestEmulator server, params string[] args) =>
        await CliRunner.RunAsync([.. server.Options, .. args]);

    [Fact]
    public async Task SetShowAndClear_ChangeTheServicesWebhookConfiguration()
    {
        await using var server = await TestEmulator.StartAsync();

        var before = await RunAsync(server, "webhooks", "show");
        var set = await RunAsync(server, "webhooks", "set", "--post", "http://127.0.0.1:5099/hooks", "--pre", "http://localhost:5099/pre",
            "--filter", "onMessageAdded", "--filter", "onMessageAdd", "--method", "GET");
        var shown = await RunAsync(server, "webhooks", "show");
        var cleared = await RunAsync(server, "webhooks", "clear");
        var after = await RunAsync(server, "webhooks", "show");

        before.OutLines.Should().Equal(["Post-event: none", "Pre-event:  none", "Method:     POST", "Events:     none"], before.ToString());
        set.ExitCode.Should().Be(0, set.ToString());
        shown.OutLines.Should().Equal(["Post-event: http://127.0.0.1:5099/hooks", "Pre-event:  http://localhost:5099/pre", "Method:     GET",
            "Events:     onMessageAdded onMessageAdd"], shown.ToString());
        set.OutLines.Should().Equal(shown.OutLines);
        cleared.ExitCode.Should().Be(0, cleared.ToString());
        after.OutLines.Should().Equal(["Post-event: none", "Pre-event:  none", "Method:     POST", "Events:     none"], after.ToString());
    }

    [Fact]
    public async Task Set_WithARemoteUrlOrAnUnknownEvent_FailsWithOneLine_AndChangesNothing()
    {
        await using var server = await TestEmulator.StartAsync();

        var remote = await RunAsync(server, "webhooks", "set", "--post", "http://example.com/hooks", "--filter", "onMessageAdded");
        var unknown = await RunAsync(server, "webhooks", "set", "--post", "http://127.0.0.1:5099/hooks", "--filter", "onNothing");
        var shown = await RunAsync(server, "webhooks", "show");

        remote.ExitCode.Should().Be(1, remote.ToString());
        remote.ErrLines.Should().ContainSingle().Which.Should().Contain("loopback");
        unknown.ExitCode.Should().Be(1, unknown.ToString());
        unknown.ErrLines.Should().ContainSingle().Which.Should().Contain("onNothing");
        shown.OutLines[0].Should().Be("Post-event: none");
    }
}
