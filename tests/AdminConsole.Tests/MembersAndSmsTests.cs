using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;

namespace AdminConsole.Tests;

/// <summary><c>members</c>, <c>sms add</c> and <c>sms remove</c>, each test against its own, empty, real emulator.</summary>
public sealed class MembersAndSmsTests
{
    private const string Phone = "+15551230001";
    private const string Proxy = "+15550000001";

    private static async Task<CliResult> RunAsync(TestEmulator server, params string[] args) =>
        await CliRunner.RunAsync([.. server.Options, .. args]);

    /// <summary>An emulator with the room "general".</summary>
    private static async Task<TestEmulator> StartServerAsync()
    {
        var server = await TestEmulator.StartAsync();
        (await RunAsync(server, "create", "general")).ExitCode.Should().Be(0);
        return server;
    }

    /// <summary>Adds a chat user to a room straight through the emulator's REST API (the console has no join verb).</summary>
    private static async Task AddChatUserAsync(TestEmulator server, string room, string identity)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = EmulatorClients.Basic(server.Credentials, useAccountToken: true);
        using var form = new FormUrlEncodedContent([new("Identity", identity)]);
        var url = $"{server.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/Services/{server.DefaultServiceSid}/Conversations/{room}/Participants";
        (await http.PostAsync(url, form, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Members_ChatUserAndSmsParticipant_PrintsIdentityOrNumberALine()
    {
        await using var server = await StartServerAsync();
        await AddChatUserAsync(server, "general", "alice");
        (await RunAsync(server, "sms", "add", "general", Phone, "--proxy", Proxy)).ExitCode.Should().Be(0);

        var result = await RunAsync(server, "members", "general");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Err.Should().BeEmpty();
        result.OutLines.Should().Equal("alice", Phone);
    }

    [Fact]
    public async Task Members_Json_PrintsParsableArray()
    {
        await using var server = await StartServerAsync();
        await AddChatUserAsync(server, "general", "alice");
        await RunAsync(server, "sms", "add", "general", Phone, "--proxy", Proxy);

        var result = await RunAsync(server, "members", "general", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain($"\"{Phone}\"", "numbers are printed as they are, not as \\u002B escapes");
        using var json = JsonDocument.Parse(result.Out);
        var members = json.RootElement.EnumerateArray().ToList();
        members.Should().HaveCount(2);
        members.Should().OnlyContain(m => m.GetProperty("sid").GetString()!.StartsWith("MB", StringComparison.Ordinal));
        members[0].GetProperty("identity").GetString().Should().Be("alice");
        members[0].GetProperty("phoneNumber").ValueKind.Should().Be(JsonValueKind.Null);
        members[1].GetProperty("identity").ValueKind.Should().Be(JsonValueKind.Null);
        members[1].GetProperty("phoneNumber").GetString().Should().Be(Phone);
        members[1].GetProperty("proxyNumber").GetString().Should().Be(Proxy);
    }

    [Fact]
    public async Task Members_EmptyRoom_PrintsNothingAndExitsZero()
    {
        await using var server = await StartServerAsync();

        (await RunAsync(server, "members", "general")).Should().Be(new CliResult(0, "", ""));
        JsonDocument.Parse((await RunAsync(server, "members", "general", "--json")).Out).RootElement.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Members_MissingRoom_ExitsFour()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "members", "nowhere");

        result.ExitCode.Should().Be(4, result.ToString());
        result.Out.Should().BeEmpty();
        result.ErrLines.Should().ContainSingle().Which.Should().Be("Chat room not found: nowhere");
    }

    [Fact]
    public async Task SmsAdd_NewNumber_SaysWhatItAddedAndTheRoomHasIt()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "sms", "add", "general", Phone, "--proxy", Proxy);
        var members = await RunAsync(server, "members", "general");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Err.Should().BeEmpty();
        result.OutLines.Should().ContainSingle().Which.Should().MatchRegex(
            @"^Added \+15551230001 to chat room general via \+15550000001 \(MB[0-9a-f]{32}\)$");
        members.OutLines.Should().Equal(Phone);
    }

    [Fact]
    public async Task SmsAdd_Twice_ExitsFiveSayingItIsAlreadyAParticipant()
    {
        await using var server = await StartServerAsync();
        (await RunAsync(server, "sms", "add", "general", Phone, "--proxy", Proxy)).ExitCode.Should().Be(0);

        var result = await RunAsync(server, "sms", "add", "general", Phone, "--proxy", Proxy);

        result.ExitCode.Should().Be(5, result.ToString());
        result.Out.Should().BeEmpty();
        result.ErrLines.Should().ContainSingle().Which.Should().Contain(Phone).And.Contain("already a participant");
        (await RunAsync(server, "members", "general")).OutLines.Should().Equal(Phone);
    }

    [Fact]
    public async Task SmsAdd_MissingRoom_ExitsFourNamingTheRoom()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "sms", "add", "nowhere", Phone, "--proxy", Proxy);

        result.ExitCode.Should().Be(4, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Be("Chat room 'nowhere' not found.");
    }

    [Theory]
    [InlineData("5551230001", Proxy, "phone number")]
    [InlineData("+1 555 123 0001", Proxy, "phone number")]
    [InlineData(Phone, "+1234567890123456", "proxy number")]
    [InlineData(Phone, "proxy", "proxy number")]
    public async Task SmsAdd_NumberNotE164_ExitsTwoNamingTheArgumentAndAddsNothing(string number, string proxy, string named)
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "sms", "add", "general", number, "--proxy", proxy);
        var members = await RunAsync(server, "members", "general");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Out.Should().BeEmpty();
        result.ErrLines.Should().ContainSingle().Which.Should().StartWith("Invalid argument: The " + named).And.Contain("E.164");
        members.Should().Be(new CliResult(0, "", ""));
    }

    [Fact]
    public async Task SmsRemove_Member_RemovesItAndKeepsOthers()
    {
        await using var server = await StartServerAsync();
        await AddChatUserAsync(server, "general", "alice");
        await RunAsync(server, "sms", "add", "general", Phone, "--proxy", Proxy);

        var result = await RunAsync(server, "sms", "remove", "general", Phone);
        var members = await RunAsync(server, "members", "general");

        result.Should().Be(new CliResult(0, $"Removed {Phone} from chat room general" + Environment.NewLine, ""));
        members.OutLines.Should().Equal("alice");
    }

    [Fact]
    public async Task SmsRemove_NumberNotInRoom_ExitsFourNamingNumberAndRoom()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "sms", "remove", "general", Phone);

        result.ExitCode.Should().Be(4, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Be($"The phone number {Phone} is not a participant of chat room 'general'.");
    }

    [Fact]
    public async Task SmsRemove_MissingRoom_ExitsFour()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "sms", "remove", "nowhere", Phone);

        result.ExitCode.Should().Be(4, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Be("Chat room 'nowhere' not found.");
    }

    [Fact]
    public async Task SmsRemove_BadNumber_ExitsTwo()
    {
        await using var server = await StartServerAsync();

        var result = await RunAsync(server, "sms", "remove", "general", "12");

        result.ExitCode.Should().Be(2, result.ToString());
        result.ErrLines.Should().ContainSingle().Which.Should().Contain("phone number");
    }
}
