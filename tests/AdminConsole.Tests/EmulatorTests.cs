using System.Text.Json;
using AdminConsole;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;

namespace AdminConsole.Tests;

/// <summary>Each test runs the console against its own, empty, real emulator.</summary>
public sealed class EmulatorTests
{
    private static async Task<CliResult> RunAsync(TestEmulator server, params string[] args) =>
        await CliRunner.RunAsync([.. server.Options, .. args]);

    private static Task<TestEmulator> StartServerAsync() => TestEmulator.StartAsync();

    [Fact]
    public async Task List_CredentialsFromTheEmulatorsDataDirectory_AreUsed()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "list");

        result.ExitCode.Should().Be(0, result.ToString());
        server.Credentials.Should().NotBe(EmulatorCredentials.Development);
    }

    [Fact]
    public async Task List_NoCredentialsFile_ExitsThreeNamingWhereItLooked()
    {
        // The default is this checkout's web host's file; a developer who ran the host has one, so the case cannot be set up.
        if (File.Exists(EmulatorDefaults.CredentialsFile))
        {
            Assert.Skip($"{EmulatorDefaults.CredentialsFile} exists (the web host ran in this checkout)");
        }

        await using var server = await StartServerAsync();
        var result = await CliRunner.RunAsync("--emulator", server.BaseAddress.ToString(), "list");

        result.ExitCode.Should().Be(3, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should()
            .Contain(EmulatorDefaults.CredentialsFile).And.Contain("--emulator-credentials");
    }

    [Fact]
    public async Task List_WellKnownDevelopmentCredentials_AreRefused()
    {
        await using var server = await StartServerAsync();
        var wellKnown = TestEmulator.WriteCredentialsFile(EmulatorCredentials.Development);

        var result = await CliRunner.RunAsync("--emulator", server.BaseAddress.ToString(), "--emulator-credentials", wellKnown, "list");

        result.ExitCode.Should().Be(3, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("refused the credentials");
    }

    [Fact]
    public async Task List_MalformedCredentialsFile_ExitsThreeNamingIt()
    {
        await using var server = await StartServerAsync();
        var file = Path.Combine(Path.GetTempPath(), "not-credentials-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, "{\"accountSid\": \"AC1\"}", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync("--emulator", server.BaseAddress.ToString(), "--emulator-credentials", file, "list");
        File.Delete(file);

        result.ExitCode.Should().Be(3, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain(file).And.Contain("apiKeySecret");
    }

    [Fact]
    public async Task List_NoRooms_PrintsNothingAndExitsZero()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "list");

        result.Should().Be(new CliResult(0, "", ""));
    }

    [Fact]
    public async Task Create_ThenList_ShowsNameAndSid()
    {
        await using var server = await StartServerAsync();

        var created = await RunAsync(server, "create", "general");
        var listed = await RunAsync(server, "list");

        created.ExitCode.Should().Be(0, created.ToString());
        created.Err.Should().BeEmpty();
        created.OutLines.Should().ContainSingle().Which.Should().MatchRegex(@"^Created chat room general \(CH[0-9a-f]{32}\)$");
        listed.ExitCode.Should().Be(0, listed.ToString());
        listed.OutLines.Should().ContainSingle().Which.Should().MatchRegex(@"^general \(CH[0-9a-f]{32}\)$");
        created.Out.Should().Contain(listed.OutLines[0]);
    }

    [Fact]
    public async Task Create_EmulatorOptionAfterVerbWithoutAddress_UsesNextTokenAsName()
    {
        await using var server = await StartServerAsync();

        var result = await CliRunner.RunAsync(["create", "--emulator", server.BaseAddress.ToString(), "--emulator-credentials", server.CredentialsFile, "#random"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().StartWith("Created chat room #random (CH");
    }

    [Fact]
    public async Task Create_Twice_ExitsFiveSayingItExists()
    {
        await using var server = await StartServerAsync();
        (await RunAsync(server, "create", "general")).ExitCode.Should().Be(0);

        var result = await RunAsync(server, "create", "general");

        result.ExitCode.Should().Be(5, result.ToString());
        result.Out.Should().BeEmpty();
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("already exists");
    }

    [Fact]
    public async Task Delete_Missing_ExitsFour()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "delete", "nowhere");

        result.ExitCode.Should().Be(4, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Be("Chat room not found: nowhere");
    }

    [Fact]
    public async Task Delete_Existing_RemovesIt()
    {
        await using var server = await StartServerAsync();
        await RunAsync(server, "create", "general");
        await RunAsync(server, "create", "random");

        var deleted = await RunAsync(server, "delete", "general");
        var listed = await RunAsync(server, "list");

        deleted.Should().Be(new CliResult(0, "Deleted chat room general" + Environment.NewLine, ""));
        listed.OutLines.Should().ContainSingle().Which.Should().StartWith("random (CH");
    }

    [Fact]
    public async Task List_Json_PrintsParsableArray()
    {
        await using var server = await StartServerAsync();
        await RunAsync(server, "create", "general");
        await RunAsync(server, "create", "random");

        var result = await RunAsync(server, "list", "--json");
        var empty = await RunAsync(server, "delete", "general");

        result.ExitCode.Should().Be(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var rooms = json.RootElement.EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString(), Sid: e.GetProperty("sid").GetString()))
            .ToList();
        rooms.Select(r => r.Name).Should().BeEquivalentTo("general", "random");
        rooms.Should().OnlyContain(r => r.Sid!.StartsWith("CH", StringComparison.Ordinal) && r.Sid.Length == 34);
        empty.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task List_JsonWhenEmpty_PrintsEmptyArray()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "list", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        JsonDocument.Parse(result.Out).RootElement.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Setup_TwiceInARow_CreatesThenChangesNothing()
    {
        await using var server = await StartServerAsync();

        var first = await RunAsync(server, "setup");
        var second = await RunAsync(server, "setup");

        first.ExitCode.Should().Be(0, first.ToString());
        first.OutLines.Should().HaveCount(2);
        first.OutLines[0].Should().MatchRegex(@"^Created the service role participant \(RL[0-9a-f]{32}\)");
        first.OutLines[1].Should().MatchRegex(@"^Conversation service: IS[0-9a-f]{32}$");
        second.ExitCode.Should().Be(0, second.ToString());
        second.OutLines[0].Should().Contain("already right; nothing changed");
        second.OutLines[1].Should().Be(first.OutLines[1]);
    }

    [Theory]
    [InlineData("bad\u0001name")]
    [InlineData("")]
    public async Task Create_InvalidName_ExitsTwoAndCreatesNothing(string name)
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "create", name);
        var listed = await RunAsync(server, "list");

        result.ExitCode.Should().Be(2, result.ToString());
        result.ErrLines.Should().ContainSingle();
        listed.Should().Be(new CliResult(0, "", ""));
    }

    [Fact]
    public async Task Create_NameOf300Characters_ExitsTwoAndCreatesNothing()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "create", new string('x', 300));
        var listed = await RunAsync(server, "list");

        result.ExitCode.Should().Be(2, result.ToString());
        result.ErrLines.Should().ContainSingle();
        listed.Should().Be(new CliResult(0, "", ""));
    }

    [Fact]
    public async Task List_WrongAuthToken_ExitsThreeSayingCredentialsRefused()
    {
        await using var server = await StartServerAsync();
        var overrides = new Dictionary<string, string?> { ["Twilio:AuthToken"] = "not-the-right-token" };

        var result = await CliRunner.RunAsync(overrides, [.. server.Options, "list"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("refused the credentials");
    }

    [Fact]
    public async Task List_MalformedAccountSid_ExitsThreeNamingAccountSid()
    {
        await using var server = await StartServerAsync();
        var overrides = new Dictionary<string, string?> { ["Twilio:AccountSid"] = "ACnot-a-sid" };

        var result = await CliRunner.RunAsync(overrides, [.. server.Options, "list"]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("AccountSid").And.NotContain("ApiKeySid");
    }
}
