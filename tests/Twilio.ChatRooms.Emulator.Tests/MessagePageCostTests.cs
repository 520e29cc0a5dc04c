using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// A REST page of messages costs what the page holds, however long the conversation: counted as the rows of the
/// conversation's log a read looks at (each inside the store's one lock), not timed.
/// </summary>
public sealed class MessagePageCostTests
{
    private const int Long = 20_000;
    private const int Short = 150;
    private const int PageSize = 50;

    [Fact]
    public async Task EveryKindOfPage_LooksAtThePageAndABinarySearch_NotTheHistory()
    {
        await using var emulator = await LoggedEmulator.StartAsync(Ct);
        using var http = EmulatorClients.Raw(emulator.Root, emulator.Credentials);
        var store = emulator.Services.GetRequiredService<EmulatorStore>();
        var longOne = await SeededConversationAsync(http, store, Long);
        var shortOne = await SeededConversationAsync(http, store, Short);

        foreach (var (conversation, count) in new[] { (longOne, Long), (shortOne, Short) })
        {
            // A binary search over the log reads at most this many indexes.
            var search = (int)Math.Ceiling(Math.Log2(count + 1));
            long RowsRead() => store.Read(s => s.Messages.In(conversation).RowsRead);
            async Task<JsonElement> PageAsync(string url, int expectedFirstIndex)
            {
                var before = RowsRead();
                var page = await http.GetFromJsonAsync<JsonElement>(url, Ct);
                var read = RowsRead() - before;
                var messages = page.GetProperty("messages");
                messages.GetArrayLength().Should().Be(PageSize, url);
                messages[0].GetProperty("index").GetInt32().Should().Be(expectedFirstIndex, url);
                read.Should().BeLessThanOrEqualTo(PageSize + search, $"{url} of a {count}-message conversation looks at its page and a binary search");
                return page;
            }

            var list = $"v1/Conversations/{conversation}/Messages?PageSize={PageSize}";
            var first = await PageAsync(list, 0);
            var second = await PageAsync(Next(first), PageSize);
            await PageAsync(Previous(second), 0);
            var newest = await PageAsync(list + "&Order=desc", count - 1);
            await PageAsync(Next(newest), count - 1 - PageSize);
            await PageAsync(list + "&Page=2", 2 * PageSize);
            var last = await PageAsync(list + $"&Page={(count / PageSize) - 1}", count - PageSize);
            last.GetProperty("meta").GetProperty("next_page_url").ValueKind.Should().Be(JsonValueKind.Null);
        }
    }

    private static string Next(JsonElement page) => page.GetProperty("meta").GetProperty("next_page_url").GetString()!;

    private static string Previous(JsonElement page) => page.GetProperty("meta").GetProperty("previous_page_url").GetString()!;

    /// <summary>A conversation made over REST, its messages added straight into the store (20,000 requests would be slow).</summary>
    private static async Task<string> SeededConversationAsync(HttpClient http, EmulatorStore store, int messages)
    {
        using var created = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "long history")), Ct);
        created.EnsureSuccessStatusCode();
        var sid = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
        var service = store.DefaultServiceSid;
        for (var added = 0; added < messages; added += 1_000)
        {
            var batch = Math.Min(1_000, messages - added);
            store.Write(s =>
            {
                for (var i = 0; i < batch; i++)
                {
                    MessageRules.Append(s, s.Conversations.Get(service, sid), "ann", $"message {added + i}", "{}", null, DateTimeOffset.UtcNow);
                }

                return true;
            });
        }

        return sid;
    }
}
