using AdminConsole;
using FluentAssertions;

namespace AdminConsole.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData]
    [InlineData("bogus")]
    [InlineData("create")]
    [InlineData("delete")]
    [InlineData("list", "--nope")]
    [InlineData("create", "a", "b")]
    [InlineData("members")]
    [InlineData("members", "a", "b")]
    [InlineData("sms")]
    [InlineData("sms", "add", "general", "+15551230001")]
    [InlineData("sms", "add", "general", "--proxy", "+15550000001")]
    [InlineData("sms", "remove", "general")]
    [InlineData("sms", "remove", "general", "+15551230001", "extra")]
    public async Task RunAsync_BadCommandLine_ExitsTwoWithOneLine(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("chatrooms --help");
        result.Out.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_Help_ListsTheVerbs()
    {
        var result = await CliRunner.RunAsync("--help");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("list").And.Contain("create").And.Contain("delete").And.Contain("setup").And.Contain("members").And.Contain("sms").And.Contain("--emulator");
    }

    [Fact]
    public async Task RunAsync_MissingConfiguration_ExitsThreeNamingTheFields()
    {
        var result = await CliRunner.RunAsync(
            new Dictionary<string, string?>
            {
                ["Twilio:AccountSid"] = "",
                ["Twilio:ApiKeySid"] = "",
                ["Twilio:ApiKeySecret"] = "",
                ["Twilio:AuthToken"] = null,
                ["TWILIO_ACCOUNT_SID"] = null,
            },
            "list");

        result.ExitCode.Should().Be(3, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("AccountSid").And.Contain("ApiKeySid").And.Contain("ApiKeySecret");
    }
}

public sealed class CancellationTests
{
    [Fact]
    public async Task RunAsync_Cancelled_Exits130WithOneLine()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await ChatRoomsCli.RunAsync(["--emulator", "list"], stdout, stderr, new CancellationToken(canceled: true));

        code.Should().Be(130, stderr.ToString());
        stderr.ToString().Should().Be("Cancelled." + Environment.NewLine);
        stdout.ToString().Should().BeEmpty();
    }
}
