using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// A store on a disk that fills up (a 4 MB tmpfs, which needs root and <c>mount -t tmpfs</c>; skipped where the machine
/// does not allow it): a write that cannot be made durable changes nothing, answers Twilio's 503, and writes recover
/// by themselves once there is room again.
/// </summary>
public sealed class FullStoreTests : IDisposable
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "emulator-full-" + Guid.NewGuid().ToString("N"));
    private bool _mounted;

    public void Dispose()
    {
        if (_mounted)
        {
            Commands.Run("umount", "-l", _mount);
        }

        if (Directory.Exists(_mount))
        {
            Directory.Delete(_mount, recursive: true);
        }
    }

    [Fact]
    public async Task WriteToAFullStore_Answers503AndChangesNothing_ThenWritesRecoverWhenTheDiskDoes()
    {
        Directory.CreateDirectory(_mount);
        _mounted = OperatingSystem.IsLinux() && Commands.Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", _mount) == 0;
        if (!_mounted)
        {
            Assert.Skip("This machine does not let the test mount a small tmpfs (it needs Linux, root and mount -t tmpfs), so a full disk cannot be made.");
        }

        var data = Path.Combine(_mount, "data");
        var filler = Path.Combine(_mount, "filler");
        var acknowledged = new List<string>();
        string room;
        var (host, address) = await EmulatorProcess.StartListeningAsync(data, Ct);
        try
        {
            using var http = EmulatorClients.Raw(address, EmulatorClients.CredentialsIn(data));
            room = (await ExpectAsync(HttpStatusCode.Created, await http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", "room")), Ct)))
                .GetProperty("sid").GetString()!;
            Fill(filler);

            HttpResponseMessage? failed = null;
            for (var i = 0; i < 4000 && failed is null; i++)
            {
                var body = $"message {i} " + new string('x', 8000);
                var response = await http.PostAsync($"v1/Conversations/{room}/Messages", EmulatorClients.Form(("Body", body)), Ct);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(body);
                }
                else
                {
                    failed = response;
                }
            }

            failed.Should().NotBeNull("a full disk fails a write sooner or later");
            var error = await ExpectAsync(HttpStatusCode.ServiceUnavailable, failed!);
            error.GetProperty("code").GetInt32().Should().Be(20503);
            error.GetProperty("status").GetInt32().Should().Be(503);
            error.GetProperty("message").GetString().Should().Contain("nothing was changed");
            (await Bodies(http, room)).Should().Equal(acknowledged, "the failed message is not listed");
            var health = await ExpectAsync(HttpStatusCode.ServiceUnavailable, await http.GetAsync("health", Ct));
            health.GetProperty("message").GetString().Should().Contain("cannot make writes durable");

            // A create that failed is not there, and trying again is not a conflict with a half-made one.
            var first = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", "made-while-full")), Ct);
            var again = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", "made-while-full")), Ct);
            first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            again.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await http.GetAsync("v1/Conversations/made-while-full", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

            File.Delete(filler);
            var retried = "after the disk had room again";
            await ExpectAsync(HttpStatusCode.Created, await http.PostAsync($"v1/Conversations/{room}/Messages", EmulatorClients.Form(("Body", retried)), Ct));
            acknowledged.Add(retried);
            await ExpectAsync(HttpStatusCode.Created, await http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", "made-while-full")), Ct));
            (await ExpectAsync(HttpStatusCode.OK, await http.GetAsync("health", Ct))).GetProperty("status").GetString().Should().Be("healthy");
        }
        finally
        {
            EmulatorProcess.Kill(host);
            host.Dispose();
        }

        // Nothing acknowledged was lost, and nothing refused was kept.
        await using var restarted = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = data, Ct);
        using var fresh = EmulatorClients.Raw(restarted);
        (await Bodies(fresh, room)).Should().Equal(acknowledged);
        (await fresh.GetAsync("v1/Conversations/made-while-full", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Writes to <paramref name="path"/> until the disk is full.</summary>
    private static void Fill(string path)
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create);
        try
        {
            while (true)
            {
                file.Write(chunk);
                file.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    private static async Task<List<string>> Bodies(HttpClient http, string room)
    {
        var bodies = new List<string>();
        for (var url = $"v1/Conversations/{room}/Messages?PageSize=100"; url is not null;)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(url, Ct);
            bodies.AddRange(page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()!));
            url = page.GetProperty("meta").GetProperty("next_page_url").GetString();
        }

        return bodies;
    }

    private static async Task<JsonElement> ExpectAsync(HttpStatusCode status, HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.Should().Be(status, body.ToString());
        return body;
    }

}
