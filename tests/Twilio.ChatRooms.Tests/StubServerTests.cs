using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests;

/// <summary>The library's request sequences, against a scripted server (the emulator tests cover the real thing).</summary>
public sealed class StubServerTests
{
    private const string Prefix = "/emulator/v1/Services/" + Fake.ServiceSid;

    private static string Sid(string prefix, int i) => prefix + i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    private static string Page(string key, IEnumerable<object> records, string? next)
        => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            [key] = records,
            ["meta"] = new { page = 0, page_size = 100, first_page_url = "x", previous_page_url = (string?)null, url = "x", next_page_url = next, key },
        });

    [Fact]
    public async Task ListRooms_ThreePages_FetchesEveryPageAndSkipsConversationsWithoutUniqueName()
    {
        var stub = new StubHandler((request, _) =>
        {
            var query = request.RequestUri!.Query;
            var page = query.Contains("Page=2", StringComparison.Ordinal) ? 2 : query.Contains("Page=1", StringComparison.Ordinal) ? 1 : 0;
            var records = Enumerable.Range(page * 3, 3).Select(i => (object)new
            {
                sid = Sid("CH", i),
                unique_name = i == 4 ? null : $"room-{i}",
                friendly_name = $"room-{i}",
            });
            var next = page < 2 ? $"https://conversations.twilio.com/v1/Services/{Fake.ServiceSid}/Conversations?PageSize=3&Page={page + 1}" : null;
            return Task.FromResult(StubHandler.Json(HttpStatusCode.OK, Page("conversations", records, next)));
        });
        await using var provider = Fake.Services(stub);

        var rooms = await provider.GetRequiredService<IChatRoomAdmin>().ListRoomsAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        rooms.Select(r => r.Name).Should().Equal("room-0", "room-1", "room-2", "room-3", "room-5", "room-6", "room-7", "room-8");
        rooms[0].Sid.Should().Be(Sid("CH", 0));
        stub.Count.Should().Be(3);
        stub.Uris[0].Query.Should().Contain("PageSize=100");
    }

    private sealed class ScriptedService
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        public HashSet<string> Members { get; } = [];

        public bool UserExists { get; set; }

        public int Rooms { get; set; } = 5;

        public bool HideMemberships { get; set; }

        public Task<HttpResponseMessage> Handle(HttpRequestMessage request, CancellationToken _)
        {
            var path = request.RequestUri!.AbsolutePath;
            var method = request.Method.Method;
            Requests.Enqueue($"{method} {path.Replace(Prefix, "", StringComparison.Ordinal)}");
            HttpResponseMessage Json(HttpStatusCode status, string json) => StubHandler.Json(status, json);
            HttpResponseMessage Conflict(int code) => Json(HttpStatusCode.Conflict, $$"""{"code":{{code}},"message":"exists","status":409}""");

            if (method == "GET" && path == Prefix + "/Roles")
            {
                return Task.FromResult(Json(HttpStatusCode.OK, Page("roles", [new { sid = Sid("RL", 1), friendly_name = "participant", type = "service", permissions = new[] { "joinConversation", "editOwnUserInfo" } }], null)));
            }

            if (method == "POST" && path == Prefix + "/Users")
            {
                return Task.FromResult(UserExists ? Conflict(50201) : Json(HttpStatusCode.Created, $$"""{"sid":"{{Sid("US", 1)}}","identity":"alice"}"""));
            }

            if (method == "GET" && path == Prefix + "/Conversations")
            {
                return Task.FromResult(Json(HttpStatusCode.OK, Page("conversations", Enumerable.Range(0, Rooms).Select(i => (object)new { sid = Sid("CH", i), unique_name = $"room-{i}" }), null)));
            }

            if (method == "GET" && path == Prefix + "/Users/alice/Conversations")
            {
                return Task.FromResult(Json(HttpStatusCode.OK, Page("conversations", HideMemberships ? [] : Members.Select(m => (object)new { conversation_sid = m }), null)));
            }

            if (method == "POST" && path.EndsWith("/Participants", StringComparison.Ordinal))
            {
                var room = path.Split('/')[^2];
                lock (Members)
                {
                    return Task.FromResult(Members.Add(room) ? Json(HttpStatusCode.Created, """{"sid":"MB00000000000000000000000000000001"}""") : Conflict(50433));
                }
            }

            return Task.FromResult(Json(HttpStatusCode.NotFound, """{"code":20404,"message":"not found","status":404}"""));
        }
    }

    [Fact]
    public async Task Provision_NewUser_SkipsMembershipReadAndAddsEveryRoom()
    {
        var service = new ScriptedService();
        await using var provider = Fake.Services(new StubHandler(service.Handle));

        var rooms = await provider.GetRequiredService<IParticipantProvisioner>().ProvisionAsync("alice", TestContext.Current.CancellationToken);

        rooms.Select(r => r.Name).Should().Equal("room-0", "room-1", "room-2", "room-3", "room-4");
        service.Requests.Should().NotContain(r => r.Contains("/Users/alice/Conversations", StringComparison.Ordinal));
        service.Requests.Count(r => r.EndsWith("/Participants", StringComparison.Ordinal)).Should().Be(5);
        service.Members.Should().HaveCount(5);
    }

    [Fact]
    public async Task Provision_ReturningUser_ReadsMembershipsOnceAndAddsOnlyMissingRooms()
    {
        var service = new ScriptedService { UserExists = true };
        service.Members.UnionWith([Sid("CH", 0), Sid("CH", 1), Sid("CH", 2)]);
        await using var provider = Fake.Services(new StubHandler(service.Handle));
        var provisioner = provider.GetRequiredService<IParticipantProvisioner>();

        var rooms = await provisioner.ProvisionAsync("alice", TestContext.Current.CancellationToken);
        var second = await provisioner.ProvisionAsync("alice", TestContext.Current.CancellationToken);

        rooms.Should().HaveCount(5).And.Equal(second);
        service.Requests.Count(r => r == "GET /Users/alice/Conversations").Should().Be(2);
        service.Requests.Count(r => r.EndsWith("/Participants", StringComparison.Ordinal)).Should().Be(2, "only rooms 3 and 4 were missing, and only the first time");
        service.Requests.Count(r => r == "GET /Roles").Should().Be(1, "the role SID is cached");
    }

    [Fact]
    public async Task Provision_ParticipantExistsConflict_CountsAsSuccess()
    {
        // Joined meanwhile (e.g. by another login): the read misses it, the add answers 409 / 50433.
        var service = new ScriptedService { UserExists = true, HideMemberships = true };
        service.Members.Add(Sid("CH", 2));
        await using var provider = Fake.Services(new StubHandler(service.Handle));

        var rooms = await provider.GetRequiredService<IParticipantProvisioner>().ProvisionAsync("alice", TestContext.Current.CancellationToken);

        rooms.Should().HaveCount(5);
        service.Requests.Count(r => r.EndsWith("/Participants", StringComparison.Ordinal)).Should().Be(5);
    }

    [Fact]
    public async Task Provision_ServiceSidUnset_LooksUpDefaultServiceOnce()
    {
        var service = new ScriptedService();
        var stub = new StubHandler((request, ct) => request.RequestUri!.AbsolutePath == "/emulator/v1/Configuration"
            ? Task.FromResult(StubHandler.Json(HttpStatusCode.OK, $$"""{"default_chat_service_sid":"{{Fake.ServiceSid}}"}"""))
            : service.Handle(request, ct));
        await using var provider = Fake.Services(stub, o => o.ServiceSid = null);

        await provider.GetRequiredService<IParticipantProvisioner>().ProvisionAsync("alice", TestContext.Current.CancellationToken);
        await provider.GetRequiredService<ITokenIssuer>().IssueAsync("alice", TestContext.Current.CancellationToken);
        var token = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("alice", TestContext.Current.CancellationToken);

        stub.Uris.Count(u => u.AbsolutePath.EndsWith("/v1/Configuration", StringComparison.Ordinal)).Should().Be(1);
        TokenTests.Decode(token.Token, Fake.ApiKeySecret).Payload.GetProperty("grants").GetProperty("chat").GetProperty("service_sid").GetString().Should().Be(Fake.ServiceSid);
    }

    [Fact]
    public async Task Lists_EachResource_AskForTheLargestPageTwilioAllowsThere()
    {
        // Twilio's API description: 100 for conversations and participants, 50 for roles and a user's conversations.
        var service = new ScriptedService { UserExists = true };
        var stub = new StubHandler(service.Handle);
        await using var provider = Fake.Services(stub);

        await provider.GetRequiredService<IParticipantProvisioner>().ProvisionAsync("alice", TestContext.Current.CancellationToken);
        await provider.GetRequiredService<IParticipantProvisioner>().EnsureUserAsync("alice", TestContext.Current.CancellationToken);

        string PageSizeOf(string path) => stub.Uris.First(u => u.AbsolutePath == Prefix + path).Query;
        PageSizeOf("/Conversations").Should().Be("?PageSize=100");
        PageSizeOf("/Roles").Should().Be("?PageSize=50");
        PageSizeOf("/Users/alice/Conversations").Should().Be("?PageSize=50");
        stub.Uris.Where(u => u.AbsolutePath == Prefix + "/Users/alice/Conversations").Should().HaveCount(2);
    }
}
