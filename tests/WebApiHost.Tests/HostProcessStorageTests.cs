using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary>The real host, started as a child process (<c>dotnet WebApiHost.dll</c>) on an emulator data directory.</summary>
public sealed class HostProcessStorageTests
{
    [Fact]
    public async Task SecondHost_OnTheSameDataDirectory_ExitsNamingIt_AndTheFirstKeepsServing()
    {
        using var data = new TemporaryDirectory("held-data-");
        using var first = await HostProcess.StartAsync(data.Path);

        var second = await HostProcess.RunToExitAsync(data.Path);

        second.ExitCode.Should().Be(1);
        second.Output.Should().Contain(data.Path).And.Contain("held by another process").And.NotContain("Now listening");
        (await first.Http.GetAsync("/health", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        first.Kill();
        using var third = await HostProcess.StartAsync(data.Path);
        (await third.Http.GetAsync("/health", Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "a killed holder's lock is gone");
    }

    [Fact]
    public async Task Health_WhileTheEmulatorsDiskIsFull_IsUnhealthy_AndHealthyAgainOnceWritesSucceed()
    {
        using var mount = new TemporaryDirectory("full-disk-");
        if (!OperatingSystem.IsLinux() || Commands.Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.Path) != 0)
        {
            Assert.Skip("This machine does not let the test mount a small tmpfs (it needs Linux, root and mount -t tmpfs), so a full disk cannot be made.");
        }

        try
        {
            using var host = await HostProcess.StartAsync(Path.Combine(mount.Path, "data"));
            using var emulator = host.Emulator();
            using var created = await emulator.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "full")), Ct);
            var room = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString();
            var filler = Path.Combine(mount.Path, "filler");
            await using (var file = new FileStream(filler, FileMode.Create))
            {
                try
                {
                    while (true)
                    {
                        await file.WriteAsync(new byte[64 * 1024], Ct);
                        await file.FlushAsync(Ct);
                    }
                }
                catch (IOException)
                {
                    // Full.
                }
            }

            var status = HttpStatusCode.Created;
            for (var i = 0; i < 4000 && status == HttpStatusCode.Created; i++)
            {
                status = (await emulator.PostAsync($"v1/Conversations/{room}/Messages", EmulatorClients.Form(("Body", new string('x', 8000))), Ct)).StatusCode;
            }

            var unhealthy = await host.Http.GetAsync("/health", Ct);
            var report = await unhealthy.Content.ReadFromJsonAsync<JsonElement>(Ct);
            File.Delete(filler);
            var retried = await emulator.PostAsync($"v1/Conversations/{room}/Messages", EmulatorClients.Form(("Body", "room again")), Ct);
            var healthy = await host.Http.GetAsync("/health", Ct);

            status.Should().Be(HttpStatusCode.ServiceUnavailable);
            unhealthy.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            report.GetProperty("status").GetString().Should().Be("unhealthy");
            report.GetProperty("detail").GetString().Should().Contain("cannot make writes durable");
            retried.StatusCode.Should().Be(HttpStatusCode.Created);
            healthy.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Commands.Run("umount", "-l", mount.Path);
        }
    }


}
