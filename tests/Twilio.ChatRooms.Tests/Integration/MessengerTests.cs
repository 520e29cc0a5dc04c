using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>
/// The server posts messages with files as Twilio documents it (upload to the Media Content Service, then MediaSid),
/// through the library's own HTTP pipeline, which sends the media service's requests to the emulator's <c>/mcs</c>.
/// </summary>
public sealed class MessengerTests
{
    [Fact]
    public async Task SendAsync_WithTextAndFiles_PostsOneMessageHoldingThem_WhoseBytesTheMediaServiceAnswers()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        var room = await lib.Admin.CreateRoomAsync("general", Ct);
        var messenger = lib.Provider.GetRequiredService<IChatRoomMessenger>();
        var report = Encoding.UTF8.GetBytes("%PDF-1.4 a report");
        var picture = new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 };

        var sent = await messenger.SendAsync("general", "the weekly report",
            [new ChatRoomFile("report.pdf", "application/pdf", new MemoryStream(report)), new ChatRoomFile("chart.png", "image/png", new MemoryStream(picture))],
            author: "reporter", cancellationToken: Ct);
        var textOnly = await messenger.SendAsync("general", "no files", cancellationToken: Ct);

        sent.Author.Should().Be("reporter");
        sent.Body.Should().Be("the weekly report");
        sent.MediaSids.Should().HaveCount(2);
        textOnly.MediaSids.Should().BeEmpty();
        var message = (await EmulatorRest.FetchAsync(lib, $"/Conversations/{room.Sid}/Messages/{sent.Sid}"))!.Value;
        message.GetProperty("media").EnumerateArray().Select(m => (m.GetProperty("sid").GetString(), m.GetProperty("filename").GetString()))
            .Should().Equal((sent.MediaSids[0], "report.pdf"), (sent.MediaSids[1], "chart.png"));
        using var http = EmulatorRest.RawClient(lib);
        var content = $"{lib.Server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{lib.Server.DefaultServiceSid}/Media/{sent.MediaSids[0]}/Content";
        (await http.GetByteArrayAsync(new Uri(content), Ct)).Should().Equal(report);
        lib.Requests.Should().Contain(r => r.EndsWith($"/mcs/v1/Services/{lib.Server.DefaultServiceSid}/Media", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_RefusedByTwilio_OrToAMissingRoom_ThrowsChatRoomsException_AndNothingOrNoFileIsPosted()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.CreateRoomAsync("general", Ct);
        var messenger = lib.Provider.GetRequiredService<IChatRoomMessenger>();

        var missing = await FluentActions.Awaiting(() => messenger.SendAsync("nowhere", "hello", cancellationToken: Ct)).Should().ThrowAsync<ChatRoomsException>();
        missing.Which.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        var refused = await FluentActions.Awaiting(() => messenger.SendAsync("general", "a file of no type",
            [new ChatRoomFile("x.bin", "image/*", new MemoryStream([1]))], cancellationToken: Ct)).Should().ThrowAsync<ChatRoomsException>();
        refused.Which.TwilioCode.Should().Be(50511);
        refused.Which.Status.Should().Be(415);
        await FluentActions.Awaiting(() => messenger.SendAsync("general", null, cancellationToken: Ct)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => messenger.SendAsync("general", null,
            [.. Enumerable.Range(0, 11).Select(i => new ChatRoomFile($"{i}.txt", "text/plain", new MemoryStream([1])))], cancellationToken: Ct))
            .Should().ThrowAsync<ArgumentException>();
        (await EmulatorRest.ReadAllAsync(lib, $"/Conversations/{(await lib.Admin.GetRoomAsync("general", Ct)).Sid}/Messages", "messages"))
            .Should().BeEmpty("nothing was posted");
    }
}
