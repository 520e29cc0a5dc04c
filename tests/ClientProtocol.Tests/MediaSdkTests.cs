using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// Media through Twilio's own @twilio/conversations client, changed in nothing but its Twilsock.uri: the emulator's
/// client configuration names its media service, the SDK uploads to it with the access token, the message carries the
/// files to every participant, and their temporary content URLs answer exactly the bytes sent; a user outside the
/// conversation gets neither the message nor the files, and an uploaded page is served as a sandboxed download.
/// </summary>
public sealed class MediaSdkTests : IDisposable
{
    /// <summary>A real 1x1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n");

    private static readonly byte[] Html = Encoding.UTF8.GetBytes("<!doctype html><script>document.title = 'ran at the chat origin'</script>");

    private readonly string _folder = Directory.CreateTempSubdirectory("media-sdk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SdkClients_SendAPictureAndADocument_TheOtherReadsTheSameBytes_AndAnOutsiderNothing()
    {
        await using var chat = await ChatOnEmulator.StartAsync(cancellationToken: Ct);
        var server = chat.Server;
        var room = await chat.RoomWithAsync("general", "alice", "bob", "carol");
        await chat.Provisioner.LeaveRoomAsync("carol", "general", Ct);
        string File(string name, byte[] bytes)
        {
            var path = Path.Combine(_folder, name);
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }

        var events = await RunProbeAsync(server, "conversations-media-probe.mjs",
            [
                await chat.TokenAsync("alice"), await chat.TokenAsync("bob"), await chat.TokenAsync("carol"),
                room.Sid, File("dot.png", Png), File("notes.pdf", Pdf), File("page.html", Html),
            ]);

        string Dump() => string.Join('\n', events);
        var received = One(events, "received");
        received["sentIndex"]!.GetValue<int>().Should().Be(received["index"]!.GetValue<int>(), Dump());
        received["body"]!.GetValue<string>().Should().Be("a picture and a document");
        received["type"]!.GetValue<string>().Should().Be("media");
        var media = received["media"]!.AsArray();
        media.Select(m => ((string)m!["filename"]!, (string)m["contentType"]!, (long)m["size"]!, (string)m["category"]!)).Should().Equal(
            ("dot.png", "image/png", Png.Length, "media"), ("notes.pdf", "application/pdf", Pdf.Length, "media"));
        var sent = new Dictionary<string, byte[]> { [(string)media[0]!["sid"]!] = Png, [(string)media[1]!["sid"]!] = Pdf };
        foreach (var name in new[] { "download", "setDownload" })
        {
            var downloads = events.Where(e => (string)e["event"]! == name).ToList();
            downloads.Should().HaveCount(2, Dump());
            foreach (var download in downloads)
            {
                download["status"]!.GetValue<int>().Should().Be(200, Dump());
                download["sha256"]!.GetValue<string>().Should().Be(Sha256(sent[(string)download["sid"]!]), $"{name} of {download["sid"]}");
            }
        }

        One(events, "carolSet")["ok"]!.GetValue<bool>().Should().BeFalse(Dump());
        One(events, "carolConversation")["ok"]!.GetValue<bool>().Should().BeFalse(Dump());
        One(events, "carolSaw")["count"]!.GetValue<int>().Should().Be(0);

        // The page is served as stored, as a sandboxed download, and in ranges.
        var html = One(events, "html");
        html["body"].Should().BeNull("a message of files alone has no body");
        using var http = new HttpClient();
        var url = new Uri((string)html["url"]!);
        using (var whole = await http.GetAsync(url, Ct))
        {
            whole.StatusCode.Should().Be(HttpStatusCode.OK);
            whole.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            whole.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            whole.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
            whole.Content.Headers.ContentDisposition.FileName!.Trim('"').Should().Be("page.html");
            whole.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("sandbox");
            (await whole.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(Html);
        }

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new(4, 8);
        using (var part = await http.SendAsync(ranged, Ct))
        {
            part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            (await part.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(Html[4..9]);
        }

        // REST shows the same files on the messages, as Twilio's media array.
        using var rest = EmulatorClients.Raw(server);
        var messages = JsonNode.Parse(await rest.GetStringAsync(new Uri($"{server.BaseAddress.ToString().TrimEnd('/')}/v1/Conversations/{room.Sid}/Messages"), Ct))!
            ["messages"]!.AsArray();
        messages.Select(m => m!["media"] is JsonArray files ? string.Join(", ", files.Select(f => (string)f!["filename"]!)) : null)
            .Should().Equal(["dot.png, notes.pdf", "page.html"], messages.ToJsonString());
        messages[0]!["media"]![0]!["content_type"]!.GetValue<string>().Should().Be("image/png");
        messages[0]!["media"]![0]!["size"]!.GetValue<long>().Should().Be(Png.Length);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
