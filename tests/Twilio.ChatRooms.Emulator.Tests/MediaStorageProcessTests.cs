using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// Media bytes in a real emulator process's data directory: an upload cut off by kill -9 leaves no file and no record
/// after the next start, an acknowledged one survives the kill whole, and a file over Twilio's 150 MB is refused
/// without anything of it left on the disk.
/// </summary>
public sealed class MediaStorageProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-media-" + Guid.NewGuid().ToString("N"));

    private string MediaFolder => Path.Combine(_directory, "media");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task KillDuringAnUpload_LeavesNothingOfIt_WhileAnAcknowledgedFileSurvivesWhole()
    {
        var whole = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(whole);
        string kept;
        var (first, address) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        var held = new TaskCompletionSource();
        Task<HttpResponseMessage>? cutOff = null;
        using var http = EmulatorClients.Raw(address, EmulatorClients.CredentialsIn(_directory));
        try
        {
            var media = await MediaUrlAsync(http);
            kept = await UploadAsync(http, media, new ByteArrayContent(whole));

            // Half a file sent, then the sender holds on until the emulator is killed.
            cutOff = http.PostAsync(new Uri(media), new HalfThenWait(whole, held.Task), Ct);
            while (!Directory.EnumerateFiles(MediaFolder, ".upload-*").Any(f => new FileInfo(f).Length > 0))
            {
                await Task.Delay(20, Ct);
            }
        }
        finally
        {
            EmulatorProcess.Kill(first);
            first.Dispose();
            held.TrySetResult();
        }

        await FluentActions.Awaiting(() => cutOff!).Should().ThrowAsync<HttpRequestException>();
        Directory.EnumerateFiles(MediaFolder, ".upload-*").Should().ContainSingle("the kill came during the upload");

        var (next, nextAddress) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            Directory.EnumerateFiles(MediaFolder).Select(Path.GetFileName).Should().Equal([kept], "the cut-off upload is gone, the acknowledged one kept");
            using var again = EmulatorClients.Raw(nextAddress, EmulatorClients.CredentialsIn(_directory));
            var media = await MediaUrlAsync(again);
            (await again.GetByteArrayAsync(new Uri($"{media}/{kept}/Content"), Ct)).Should().Equal(whole);
        }
        finally
        {
            EmulatorProcess.Kill(next);
            next.Dispose();
        }
    }

    [Fact]
    public async Task FileOverTwiliosLimit_IsRefusedWith50512_AndNothingOfItStays()
    {
        var (process, address) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            using var http = EmulatorClients.Raw(address, EmulatorClients.CredentialsIn(_directory));
            var media = await MediaUrlAsync(http);
            using var response = await http.PostAsync(new Uri(media), new Zeros(150L * 1024 * 1024 + 1), Ct);
            var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            error.GetProperty("code").GetInt32().Should().Be(50512);
            Directory.EnumerateFiles(MediaFolder).Should().BeEmpty();
        }
        finally
        {
            EmulatorProcess.Kill(process);
            process.Dispose();
        }
    }

    [Fact]
    public async Task UploadToAFullDisk_Answers503AndKeepsNothing_ThenUploadsWorkOnceThereIsRoom()
    {
        // An 8 MB tmpfs (Linux, root and mount -t tmpfs, as FullStoreTests): the upload cannot fit once it is filled.
        var mount = Path.Combine(_directory, "disk");
        Directory.CreateDirectory(mount);
        if (!OperatingSystem.IsLinux() || Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount) != 0)
        {
            Assert.Skip("This machine does not let the test mount a small tmpfs (it needs Linux, root and mount -t tmpfs), so a full disk cannot be made.");
        }

        try
        {
            var data = Path.Combine(mount, "data");
            var (process, address) = await EmulatorProcess.StartListeningAsync(data, Ct);
            try
            {
                using var http = EmulatorClients.Raw(address, EmulatorClients.CredentialsIn(data));
                var media = await MediaUrlAsync(http);
                var filler = Path.Combine(mount, "filler");
                await File.WriteAllBytesAsync(filler, new byte[6 * 1024 * 1024], Ct);
                var bytes = new byte[3 * 1024 * 1024];
                Random.Shared.NextBytes(bytes);

                using var refused = await http.PostAsync(new Uri(media), new ByteArrayContent(bytes) { Headers = { ContentType = new("application/octet-stream") } }, Ct);
                var error = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
                refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, error.ToString());
                error.GetProperty("code").GetInt32().Should().Be(20503);
                error.GetProperty("message").GetString().Should().Contain("nothing was changed");
                Directory.EnumerateFiles(Path.Combine(data, "media")).Should().BeEmpty("nothing of the refused upload stays");

                File.Delete(filler);
                var sid = await UploadAsync(http, media, new ByteArrayContent(bytes));
                (await http.GetByteArrayAsync(new Uri($"{media}/{sid}/Content"), Ct)).Should().Equal(bytes);
            }
            finally
            {
                EmulatorProcess.Kill(process);
                process.Dispose();
            }
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    private static int Run(string command, params string[] arguments)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, arguments)
            {
                RedirectStandardError = true, RedirectStandardOutput = true,
            })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static async Task<string> MediaUrlAsync(HttpClient http)
    {
        var service = (await http.GetFromJsonAsync<JsonElement>("v1/Configuration", Ct)).GetProperty("default_chat_service_sid").GetString();
        return $"{http.BaseAddress!.ToString().TrimEnd('/')}/mcs/v1/Services/{service}/Media";
    }

    private static async Task<string> UploadAsync(HttpClient http, string media, HttpContent content)
    {
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await http.PostAsync(new Uri(media), content, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
    }

    /// <summary>Sends the first half of the bytes, then waits (never finishing) until <paramref name="release"/>.</summary>
    private sealed class HalfThenWait : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly Task _release;

        public HalfThenWait(byte[] bytes, Task release)
        {
            _bytes = bytes;
            _release = release;
            Headers.ContentType = new("application/octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            await _release;
            throw new IOException("the sender gave up");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    /// <summary>So many zero bytes, written in pieces: a large upload without a large array.</summary>
    private sealed class Zeros : HttpContent
    {
        private readonly long _length;

        public Zeros(long length)
        {
            _length = length;
            Headers.ContentType = new("application/octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = new byte[1024 * 1024];
            for (var left = _length; left > 0; left -= piece.Length)
            {
                try
                {
                    await stream.WriteAsync(piece.AsMemory(0, (int)Math.Min(piece.Length, left)));
                }
                catch (IOException)
                {
                    return; // the server answered (413) and stopped reading
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
