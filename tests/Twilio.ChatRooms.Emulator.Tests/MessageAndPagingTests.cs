using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests;

public sealed class MessageAndPagingTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Messages_OrderDesc_AndIndexIsNeverReusedAfterDelete()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var identity = EmulatorClients.Unique("dan");
        var participant = await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);
        var m0 = await MessageResource.CreateAsync(conversation.Sid, author: identity, body: "zero", client: client);
        var m1 = await MessageResource.CreateAsync(conversation.Sid, author: identity, body: "one", attributes: "{\"k\":\"v\"}", client: client);
        var m2 = await MessageResource.CreateAsync(conversation.Sid, body: "two", client: client);

        await MessageResource.DeleteAsync(conversation.Sid, m2.Sid, client: client);
        var m3 = await MessageResource.CreateAsync(conversation.Sid, author: identity, body: "three", client: client);
        var desc = (await MessageResource.ReadAsync(conversation.Sid, order: MessageResource.OrderTypeEnum.Desc, client: client)).ToList();
        var asc = (await MessageResource.ReadAsync(conversation.Sid, order: MessageResource.OrderTypeEnum.Asc, client: client)).ToList();

        m0.Sid.Should().MatchRegex("^IM[0-9a-f]{32}$");
        new[] { m0.Index, m1.Index, m2.Index, m3.Index }.Should().Equal(0, 1, 2, 3);
        m0.ParticipantSid.Should().Be(participant.Sid);
        m1.Attributes.Should().Be("{\"k\":\"v\"}");
        m2.Author.Should().Be("system");
        m2.ParticipantSid.Should().BeNull();
        desc.Select(m => m.Body).Should().Equal("three", "one", "zero");
        asc.Select(m => m.Index).Should().Equal(0, 1, 3);
    }

    [Fact]
    public async Task Message_UpdateAndFetch()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var message = await MessageResource.CreateAsync(conversation.Sid, author: "eve", body: "before", client: client);

        await MessageResource.UpdateAsync(conversation.Sid, message.Sid, body: "after", client: client);
        var fetched = await MessageResource.FetchAsync(conversation.Sid, message.Sid, client: client);
        var tooBig = await Assert.ThrowsAsync<ApiException>(() => MessageResource.CreateAsync(conversation.Sid, body: new string('x', 32 * 1024 + 1), client: client));

        fetched.Body.Should().Be("after");
        fetched.Author.Should().Be("eve");
        tooBig.Status.Should().Be(400);
    }

    [Fact]
    public async Task Messages_EditedAndDeletedManyTimes_EveryOneReadsBackAsLastWritten()
    {
        // The store keeps texts in blocks and writes them afresh once edits left more unused than used: enough edits of
        // long bodies here for that to happen several times, between messages that are never edited.
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var authors = new[] { "ann", "bob", "" };
        var created = new List<MessageResource>();
        for (var i = 0; i < 12; i++)
        {
            created.Add(await MessageResource.CreateAsync(conversation.Sid, author: authors[i % 3], body: $"first {i}",
                attributes: i % 2 == 0 ? null : $"{{\"n\":{i}}}", client: client));
        }

        var expected = created.ToDictionary(m => m.Sid, m => m.Body);
        for (var round = 0; round < 8; round++)
        {
            foreach (var message in created.Where((_, i) => i % 3 != 0))
            {
                var body = $"edit {round} " + new string((char)('a' + round), 4_000);
                await MessageResource.UpdateAsync(conversation.Sid, message.Sid, body: body, client: client);
                expected[message.Sid] = body;
            }
        }

        await MessageResource.DeleteAsync(conversation.Sid, created[4].Sid, client: client);
        expected.Remove(created[4].Sid);
        var read = (await MessageResource.ReadAsync(conversation.Sid, pageSize: 5, client: client)).ToList();
        var byIndex = await MessageResource.FetchAsync(conversation.Sid, "7", client: client);

        read.Select(m => m.Sid).Should().Equal(created.Where((_, i) => i != 4).Select(m => m.Sid));
        read.Should().AllSatisfy(m => m.Body.Should().Be(expected[m.Sid]));
        read.Select(m => m.Author).Should().Equal(created.Where((_, i) => i != 4).Select(m => m.Author));
        read.Select(m => m.Attributes).Should().Equal(created.Where((_, i) => i != 4).Select(m => m.Attributes));
        byIndex.Sid.Should().Be(created[7].Sid);
        byIndex.Body.Should().Be(expected[created[7].Sid]);
        created[2].Author.Should().Be("system");
    }

    [Fact]
    public async Task Messages_SevenWithPageSizeTwo_SdkIteratesAllPages()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        for (var i = 0; i < 7; i++)
        {
            await MessageResource.CreateAsync(conversation.Sid, body: $"m{i}", client: client);
        }

        var all = (await MessageResource.ReadAsync(conversation.Sid, pageSize: 2, client: client)).Select(m => m.Body).ToList();
        var desc = (await MessageResource.ReadAsync(conversation.Sid, order: MessageResource.OrderTypeEnum.Desc, pageSize: 2, client: client)).Select(m => m.Body).ToList();

        all.Should().Equal("m0", "m1", "m2", "m3", "m4", "m5", "m6");
        desc.Should().Equal("m6", "m5", "m4", "m3", "m2", "m1", "m0");
    }

    [Fact]
    public async Task Messages_PageMeta_HasAbsoluteStableUrls()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        for (var i = 0; i < 7; i++)
        {
            await MessageResource.CreateAsync(conversation.Sid, body: $"m{i}", client: client);
        }

        using var http = EmulatorClients.Raw(Server);
        var listUrl = $"{Server.BaseAddress}/v1/Conversations/{conversation.Sid}/Messages";
        var pages = new List<JsonElement>();
        string? next = listUrl + "?PageSize=2";
        while (next is not null)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(next, Ct);
            pages.Add(page);
            next = page.GetProperty("meta").GetProperty("next_page_url").GetString();
            if (pages.Count == 2)
            {
                // A message added mid-way appears at the end and does not shift the pages already served.
                await MessageResource.CreateAsync(conversation.Sid, body: "m7", client: client);
            }
        }

        pages.Should().HaveCount(4);
        pages.SelectMany(p => p.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()))
            .Should().Equal("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
        var first = pages[0].GetProperty("meta");
        first.GetProperty("page").GetInt32().Should().Be(0);
        first.GetProperty("page_size").GetInt32().Should().Be(2);
        first.GetProperty("key").GetString().Should().Be("messages");
        first.GetProperty("first_page_url").GetString().Should().Be(listUrl + "?PageSize=2&Page=0");
        first.GetProperty("url").GetString().Should().Be(listUrl + "?PageSize=2&Page=0");
        first.GetProperty("previous_page_url").ValueKind.Should().Be(JsonValueKind.Null);
        first.GetProperty("next_page_url").GetString().Should().StartWith(listUrl + "?PageSize=2&Page=1&PageToken=");
        var second = pages[1].GetProperty("meta");
        second.GetProperty("page").GetInt32().Should().Be(1);
        var previous = await http.GetFromJsonAsync<JsonElement>(second.GetProperty("previous_page_url").GetString(), Ct);
        previous.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()).Should().Equal("m0", "m1");
        pages[^1].GetProperty("meta").GetProperty("next_page_url").ValueKind.Should().Be(JsonValueKind.Null);
        pages[0].TryGetProperty("uri", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("asc")]
    [InlineData("desc")]
    public async Task Messages_PagedForwardThenBack_AcrossEditsAndDeletes_SdkSeesEveryMessageOnceAsLastWritten(string order)
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var created = new List<MessageResource>();
        for (var i = 0; i < 30; i++)
        {
            created.Add(await MessageResource.CreateAsync(conversation.Sid, body: $"m{i}", client: client));
        }

        var bodies = created.ToDictionary(m => m.Index!.Value, m => m.Body);
        foreach (var index in new[] { 0, 7, 8, 15, 29 })
        {
            await MessageResource.DeleteAsync(conversation.Sid, created[index].Sid, client: client);
            bodies.Remove(index);
        }

        foreach (var index in new[] { 3, 16, 28 })
        {
            await MessageResource.UpdateAsync(conversation.Sid, created[index].Sid, body: $"edited {index}", client: client);
            bodies[index] = $"edited {index}";
        }

        var descending = order == "desc";
        List<(int Index, string Body)> Expected() =>
            [.. (descending ? bodies.OrderByDescending(b => b.Key) : bodies.OrderBy(b => b.Key)).Select(b => (b.Key, b.Value))];
        static List<(int, string)> Items(IEnumerable<MessageResource> page) => [.. page.Select(m => (m.Index!.Value, m.Body))];

        var expectedBefore = Expected();
        var page = MessageResource.GetPage($"https://conversations.twilio.com/v1/Conversations/{conversation.Sid}/Messages?PageSize=4&Order={order}", client);
        var forward = new List<(int, string)>(Items(page.Records));
        var pages = 1;
        while (page.HasNextPage())
        {
            page = MessageResource.NextPage(page, client);
            forward.AddRange(Items(page.Records));
            if (++pages == 2)
            {
                // Mid-way: an edit and a delete ahead of the reader and one behind it, and a new message (at the end of
                // an ascending walk, before the start of a descending one).
                var (ahead, aheadToo, behind) = descending ? (12, 10, 27) : (20, 22, 2);
                await MessageResource.UpdateAsync(conversation.Sid, created[ahead].Sid, body: "edited mid-way", client: client);
                await MessageResource.DeleteAsync(conversation.Sid, created[aheadToo].Sid, client: client);
                await MessageResource.DeleteAsync(conversation.Sid, created[behind].Sid, client: client);
                var added = await MessageResource.CreateAsync(conversation.Sid, body: "new", client: client);
                bodies[ahead] = "edited mid-way";
                bodies.Remove(aheadToo);
                bodies.Remove(behind);
                bodies[added.Index!.Value] = "new";
            }
        }

        // Forward: the first two pages as they were, then the rest as it is now.
        var expectedNow = Expected();
        var served = forward.Take(8).ToList();
        served.Should().Equal(expectedBefore.Take(8));
        var boundary = served[^1].Item1;
        forward.Skip(8).Should().Equal(expectedNow.Where(m => descending ? m.Index < boundary : m.Index > boundary));

        // Back from the last page to the first: every message now, each once, in order.
        var backward = new List<(int, string)>(Items(page.Records));
        // The SDK's PreviousPage asks api.twilio.com (it passes Domain.Api), and without a previous_page_url the SDK
        // answers the domain's root; GetPage follows the page's own URL.
        while (PreviousUrl(page) is { } previous)
        {
            page = MessageResource.GetPage(previous, client);
            backward.InsertRange(0, Items(page.Records));
        }

        backward.Should().Equal(expectedNow);
        pages.Should().BeGreaterThan(3);
    }

    private static string? PreviousUrl(global::Twilio.Base.Page<MessageResource> page) =>
        page.GetPreviousPageUrl(global::Twilio.Rest.Domain.Conversations) is { } url && url.Contains("/Messages?", StringComparison.Ordinal) ? url : null;

    [Fact]
    public async Task Conversations_SevenWithPageSizeTwo_SdkFollowsFourPages()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        var client = EmulatorClients.Twilio(server);
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await ConversationResource.CreateAsync(friendlyName: $"c{i}", client: client)).Sid);
        }

        var listed = (await ConversationResource.ReadAsync(pageSize: 2, client: client)).Select(c => c.Sid).ToList();
        using var http = EmulatorClients.Raw(server);
        var page3 = await http.GetFromJsonAsync<JsonElement>("v1/Conversations?PageSize=2&Page=3", Ct);

        listed.Should().Equal(created);
        page3.GetProperty("conversations").GetArrayLength().Should().Be(1);
        page3.GetProperty("meta").GetProperty("next_page_url").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task List_PageSizeOverMaximum_Is400()
    {
        using var http = EmulatorClients.Raw(Server);

        var response = await http.GetAsync("v1/Conversations?PageSize=101", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32().Should().Be(400);
    }
}
