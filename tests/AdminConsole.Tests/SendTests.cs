using System.Text.Json;
using FluentAssertions;

namespace AdminConsole.Tests;

/// <summary><c>send ROOM --file PATH [--text TEXT]</c> against a real emulator: the files reach the room's message.</summary>
public sealed class SendTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatrooms-send-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Send_TextAndTwoFiles_PostsOneMessageHoldingThem_TypedByExtension()
    {
        await using var server = await TestEmulator.StartAsync();
        (await CliRunner.RunAsync([.. server.Options, "create", "general"])).ExitCode.Should().Be(0);
        var png = Path.Combine(_folder, "chart.png");
        var notes = Path.Combine(_folder, "notes.txt");
        await File.WriteAllBytesAsync(png, [137, 80, 78, 71], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(notes, "minutes", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync([.. server.Options, "send", "general", "--text", "this week", "--file", png, "--file", notes]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.OutLines.Should().ContainSingle().Which.Should().StartWith("Sent message 0 (IM").And.EndWith("to chat room general with 2 files");
        using var http = EmulatorClients.Raw(server.BaseAddress, server.Credentials, useAccountToken: true);
        var page = JsonDocument.Parse(await http.GetStringAsync("v1/Conversations/general/Messages", TestContext.Current.CancellationToken));
        var message = page.RootElement.GetProperty("messages").EnumerateArray().Single();
        message.GetProperty("body").GetString().Should().Be("this week");
        message.GetProperty("media").EnumerateArray().Select(m => (m.GetProperty("filename").GetString(), m.GetProperty("content_type").GetString()))
            .Should().Equal(("chart.png", "image/png"), ("notes.txt", "text/plain"));
    }

    [Fact]
    public async Task Send_AMissingFile_IsAUsageError_AndPostsNothing()
    {
        await using var server = await TestEmulator.StartAsync();
        (await CliRunner.RunAsync([.. server.Options, "create", "general"])).ExitCode.Should().Be(0);

        var result = await CliRunner.RunAsync([.. server.Options, "send", "general", "--file", Path.Combine(_folder, "absent.png")]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("No such file");
    }
}
