using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Rest.Conversations.V1;

namespace Twilio.ChatRooms.Emulator.Tests.Security;

/// <summary>A <c>.</c> or <c>..</c> path segment, raw or escaped, never walks up to another resource: Twilio's 404.</summary>
public sealed class DotSegmentTests
{
    public static TheoryData<string, string> Targets => new()
    {
        { "GET", "/v1/Users/.." },
        { "GET", "/v1/Users/." },
        { "GET", "/v1/Users/%2E%2E" },
        { "GET", "/v1/Users/%2e" },
        { "GET", "/v1/Users/.%2E" },
        { "GET", "/v1/Conversations/x/../../Users" },
        { "GET", "/v1/Services/%2E%2E/v1/Conversations" },
        { "POST", "/v1/Conversations/x/.." },
        { "POST", "/v1/Conversations/%2E%2E/Conversations" },
        { "POST", "/v1/Users/x/%2e%2e" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Request_WithDotSegment_Answers404_AndChangesNothing(string method, string target)
    {
        // Its own emulator, so that "nothing changed" is not disturbed by other tests.
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var before = await CountsAsync(server);

        var (status, body) = await RawHttp.SendAsync(server.BaseAddress, method, server.BaseAddress.AbsolutePath + target,
            server.Credentials, method == "POST" ? $"FriendlyName=dots&Identity={EmulatorClients.Unique("dots")}" : null, cancellationToken: Ct);

        status.Should().Be(404);
        body!.Value.GetProperty("code").GetInt32().Should().Be(20404);
        body.Value.GetProperty("status").GetInt32().Should().Be(404);
        body.Value.GetProperty("message").GetString().Should().Contain("'.' or '..'");
        (await CountsAsync(server)).Should().Be(before);
    }

    [Fact]
    public async Task Request_WalkingIntoTheMountFromOutside_Answers404()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var (status, body) = await RawHttp.SendAsync(server.BaseAddress, "GET", "/elsewhere/.." + server.BaseAddress.AbsolutePath + "/v1/Conversations",
            server.Credentials, cancellationToken: Ct);

        status.Should().Be(404);
        body!.Value.GetProperty("code").GetInt32().Should().Be(20404);
    }

    [Fact]
    public async Task Request_WithDotsInsideASegment_IsAnOrdinaryKey()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var name = EmulatorClients.Unique("a..b");
        await ConversationResource.CreateAsync(uniqueName: name, client: EmulatorClients.Twilio(server));

        var (status, body) = await RawHttp.SendAsync(server.BaseAddress, "GET", $"{server.BaseAddress.AbsolutePath}/v1/Conversations/{name}",
            server.Credentials, cancellationToken: Ct);

        status.Should().Be(200);
        body!.Value.GetProperty("unique_name").GetString().Should().Be(name);
    }

    private static async Task<(int Users, int Conversations)> CountsAsync(ConversationsEmulatorServer server)
    {
        using var http = EmulatorClients.Raw(server);
        var users = await http.GetFromJsonAsync<JsonElement>("v1/Users?PageSize=50", Ct);
        var conversations = await http.GetFromJsonAsync<JsonElement>("v1/Conversations?PageSize=100", Ct);
        return (Count(users, "users"), Count(conversations, "conversations"));
    }

    private static int Count(JsonElement page, string key) => page.GetProperty(key).GetArrayLength();
}
