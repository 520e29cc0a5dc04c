using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.Tests;

public sealed class DurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-durability-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Restart_OnTheSameDataDirectory_KeepsEverythingAndNeverReusesMessageIndexes()
    {
        string serviceSid, conversationSid, participantSid, userSid, roleSid;
        string[] messageSids;
        JsonElement rolesBefore;
        await using (var first = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct))
        {
            using var http = Clients.Raw(first);
            serviceSid = first.DefaultServiceSid;
            rolesBefore = await http.GetFromJsonAsync<JsonElement>("v1/Roles", Ct);
            roleSid = (await PostAsync(http, "v1/Roles", ("FriendlyName", "durable"), ("Type", "conversation"), ("Permission", "sendMessage"))).GetProperty("sid").GetString()!;
            conversationSid = (await PostAsync(http, "v1/Conversations", ("FriendlyName", "Durable room"), ("UniqueName", "durable-room"))).GetProperty("sid").GetString()!;
            participantSid = (await PostAsync(http, $"v1/Conversations/{conversationSid}/Participants", ("Identity", "alice"), ("RoleSid", roleSid))).GetProperty("sid").GetString()!;
            userSid = (await PostAsync(http, "v1/Users", ("Identity", "bob"), ("FriendlyName", "Bob"))).GetProperty("sid").GetString()!;
            messageSids = new string[4];
            for (var i = 0; i < messageSids.Length; i++)
            {
                messageSids[i] = (await PostAsync(http, $"v1/Conversations/{conversationSid}/Messages", ("Author", "alice"), ("Body", $"hello {i}"))).GetProperty("sid").GetString()!;
            }

            (await http.DeleteAsync($"v1/Conversations/{conversationSid}/Messages/{messageSids[3]}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
            (await http.DeleteAsync($"v1/Conversations/{conversationSid}/Messages/{messageSids[1]}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        await using var second = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);
        using var again = Clients.Raw(second);

        second.DefaultServiceSid.Should().Be(serviceSid);
        var roles = await again.GetFromJsonAsync<JsonElement>("v1/Roles", Ct);
        roles.GetProperty("roles").GetArrayLength().Should().Be(rolesBefore.GetProperty("roles").GetArrayLength() + 1, "the default roles are not seeded again");
        (await again.GetFromJsonAsync<JsonElement>($"v1/Roles/{roleSid}", Ct)).GetProperty("friendly_name").GetString().Should().Be("durable");
        var conversation = await again.GetFromJsonAsync<JsonElement>("v1/Conversations/durable-room", Ct);
        conversation.GetProperty("sid").GetString().Should().Be(conversationSid);
        conversation.GetProperty("friendly_name").GetString().Should().Be("Durable room");
        var participant = await again.GetFromJsonAsync<JsonElement>($"v1/Conversations/{conversationSid}/Participants/{participantSid}", Ct);
        participant.GetProperty("identity").GetString().Should().Be("alice");
        participant.GetProperty("role_sid").GetString().Should().Be(roleSid);
        (await again.GetFromJsonAsync<JsonElement>($"v1/Users/{userSid}", Ct)).GetProperty("friendly_name").GetString().Should().Be("Bob");
        (await again.GetFromJsonAsync<JsonElement>("v1/Users/alice", Ct)).GetProperty("identity").GetString().Should().Be("alice");
        var messages = (await again.GetFromJsonAsync<JsonElement>($"v1/Conversations/{conversationSid}/Messages", Ct)).GetProperty("messages")
            .EnumerateArray().Select(m => (Sid: m.GetProperty("sid").GetString(), Index: m.GetProperty("index").GetInt32(), Body: m.GetProperty("body").GetString())).ToList();
        messages.Should().Equal((messageSids[0], 0, "hello 0"), (messageSids[2], 2, "hello 2"));

        var next = await PostAsync(again, $"v1/Conversations/{conversationSid}/Messages", ("Author", "alice"), ("Body", "after restart"));
        next.GetProperty("index").GetInt32().Should().Be(4, "index 3 was used before the restart, even though its message was deleted");
        var another = await PostAsync(again, "v1/Conversations", ("FriendlyName", "second"));
        var list = (await again.GetFromJsonAsync<JsonElement>("v1/Conversations", Ct)).GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("sid").GetString()).ToList();
        list.Should().Equal(conversationSid, another.GetProperty("sid").GetString());
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, params (string Key, string Value)[] fields)
    {
        using var response = await http.PostAsync(path, Clients.Form(fields), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created, body.ToString());
        return body;
    }
}
