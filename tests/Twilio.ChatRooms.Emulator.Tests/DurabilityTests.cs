using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.Tests;

public sealed class DurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-durability-" + Guid.NewGuid().ToString("N"));

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
            using var http = EmulatorClients.Raw(first);
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
        using var again = EmulatorClients.Raw(second);

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

    [Fact]
    public async Task KilledMidBurst_EveryAcknowledgedMessageIsThereExactlyOnceAfterRestart()
    {
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        string conversationSid;
        var count = 0;
        using (var host = EmulatorProcess.Start(_directory))
        {
            try
            {
                var baseAddress = await host.WaitForLineAsync(_ => true, ChildProcess.HangGuard, Ct);
                using var http = EmulatorClients.Raw(new Uri(baseAddress), EmulatorClients.CredentialsIn(_directory));
                conversationSid = (await PostAsync(http, "v1/Conversations", ("FriendlyName", "burst"))).GetProperty("sid").GetString()!;
                using var enough = new SemaphoreSlim(0);
                var senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
                {
                    for (var i = 0; ; i++)
                    {
                        var body = $"burst {sender}-{i}";
                        try
                        {
                            using var response = await http.PostAsync($"v1/Conversations/{conversationSid}/Messages", EmulatorClients.Form(("Author", "system"), ("Body", body)), CancellationToken.None);
                            if (response.StatusCode != HttpStatusCode.Created)
                            {
                                return; // not expected; the count check below reports it
                            }

                            var sid = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("sid").GetString()!;
                            acknowledged[sid] = body;
                            if (Interlocked.Increment(ref count) == 40)
                            {
                                enough.Release();
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException)
                        {
                            return; // the process was killed mid-request: this one was not acknowledged
                        }
                    }
                }, CancellationToken.None)).ToList();

                await Task.WhenAny(enough.WaitAsync(Ct), Task.WhenAll(senders));
                host.Kill(); // SIGKILL on Unix
                await Task.WhenAll(senders);
            }
            finally
            {
                host.Kill();
            }
        }

        await using var restarted = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);
        using var again = EmulatorClients.Raw(restarted);
        var stored = new List<(string Sid, int Index, string Body)>();
        for (var url = $"v1/Conversations/{conversationSid}/Messages?PageSize=100"; url is not null;)
        {
            var page = await again.GetFromJsonAsync<JsonElement>(url, Ct);
            stored.AddRange(page.GetProperty("messages").EnumerateArray()
                .Select(m => (m.GetProperty("sid").GetString()!, m.GetProperty("index").GetInt32(), m.GetProperty("body").GetString()!)));
            url = page.GetProperty("meta").GetProperty("next_page_url").GetString();
        }

        acknowledged.Count.Should().BeGreaterThanOrEqualTo(40);
        stored.Select(m => m.Sid).Should().OnlyHaveUniqueItems();
        stored.Select(m => m.Index).Should().OnlyHaveUniqueItems();
        foreach (var (sid, body) in acknowledged)
        {
            stored.Where(m => m.Sid == sid).Should().ContainSingle(sid).Which.Body.Should().Be(body);
        }

        var next = await PostAsync(again, $"v1/Conversations/{conversationSid}/Messages", ("Body", "after the crash"));
        next.GetProperty("index").GetInt32().Should().Be(stored.Max(m => m.Index) + 1);
    }

    [Fact]
    public async Task Restart_OnTheSameDataDirectory_KeepsTheSmsOutboxInOrder()
    {
        string conversationSid, firstSid;
        await using (var first = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct))
        {
            using var http = EmulatorClients.Raw(first);
            conversationSid = (await PostAsync(http, "v1/Conversations", ("FriendlyName", "texts"))).GetProperty("sid").GetString()!;
            await PostAsync(http, $"v1/Conversations/{conversationSid}/Participants", ("MessagingBinding.Address", "+15551230001"),
                ("MessagingBinding.ProxyAddress", "+15559990000"));
            await PostAsync(http, $"v1/Conversations/{conversationSid}/Messages", ("Author", "alice"), ("Body", "before restart"));
            firstSid = (await http.GetFromJsonAsync<JsonElement>("sms/outbox", Ct)).GetProperty("messages")[0].GetProperty("sid").GetString()!;
        }

        await using var second = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);
        using var again = EmulatorClients.Raw(second);
        await PostAsync(again, $"v1/Conversations/{conversationSid}/Messages", ("Author", "alice"), ("Body", "after restart"));
        var outbox = (await again.GetFromJsonAsync<JsonElement>("sms/outbox?to=%2B15551230001", Ct)).GetProperty("messages").EnumerateArray().ToList();

        outbox.Select(m => m.GetProperty("body").GetString()).Should().Equal("before restart", "after restart");
        outbox[0].GetProperty("sid").GetString().Should().Be(firstSid);
        outbox.Should().OnlyContain(m => m.GetProperty("from").GetString() == "+15559990000");
    }

    [Fact]
    public async Task Restart_OnTheSameDataDirectory_KeepsEachMessagesDeliverySummary()
    {
        string conversationSid, textedSid, chatSid;
        await using (var first = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct))
        {
            using var http = EmulatorClients.Raw(first);
            conversationSid = (await PostAsync(http, "v1/Conversations", ("FriendlyName", "receipts"))).GetProperty("sid").GetString()!;
            chatSid = (await PostAsync(http, $"v1/Conversations/{conversationSid}/Messages", ("Author", "alice"), ("Body", "before the phone"))).GetProperty("sid").GetString()!;
            await PostAsync(http, $"v1/Conversations/{conversationSid}/Participants", ("MessagingBinding.Address", "+15551230002"),
                ("MessagingBinding.ProxyAddress", "+15559990000"));
            textedSid = (await PostAsync(http, $"v1/Conversations/{conversationSid}/Messages", ("Author", "alice"), ("Body", "to the phone"))).GetProperty("sid").GetString()!;
        }

        await using var second = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);
        using var again = EmulatorClients.Raw(second);
        var texted = await again.GetFromJsonAsync<JsonElement>($"v1/Conversations/{conversationSid}/Messages/{textedSid}", Ct);
        var chat = await again.GetFromJsonAsync<JsonElement>($"v1/Conversations/{conversationSid}/Messages/{chatSid}", Ct);

        var delivery = texted.GetProperty("delivery");
        delivery.GetProperty("total").GetInt32().Should().Be(1);
        delivery.GetProperty("sent").GetString().Should().Be("all");
        delivery.GetProperty("failed").GetString().Should().Be("none");
        chat.GetProperty("delivery").ValueKind.Should().Be(JsonValueKind.Null, "it was sent before the phone joined: texted to nobody");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, params (string Key, string Value)[] fields)
    {
        using var response = await http.PostAsync(path, EmulatorClients.Form(fields), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created, body.ToString());
        return body;
    }
}
