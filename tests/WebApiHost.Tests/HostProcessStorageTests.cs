using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary>The real host, started as a child process (<c>dotnet WebApiHost.dll</c>) on an emulator data directory.</summary>
public sealed class HostProcessStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
        if (!OperatingSystem.IsLinux() || Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.Path) != 0)
        {
            Assert.Skip("This machine does not let the test mount a small tmpfs (it needs Linux, root and mount -t tmpfs), so a full disk cannot be made.");
        }

        try
        {
            using var host = await HostProcess.StartAsync(Path.Combine(mount.Path, "data"));
            using var emulator = host.Emulator();
            using var created = await emulator.PostAsync("v1/Conversations", Form(("FriendlyName", "full")), Ct);
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
                status = (await emulator.PostAsync($"v1/Conversations/{room}/Messages", Form(("Body", new string('x', 8000))), Ct)).StatusCode;
            }

            var unhealthy = await host.Http.GetAsync("/health", Ct);
            var report = await unhealthy.Content.ReadFromJsonAsync<JsonElement>(Ct);
            File.Delete(filler);
            var retried = await emulator.PostAsync($"v1/Conversations/{room}/Messages", Form(("Body", "room again")), Ct);
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
            Run("umount", "-l", mount.Path);
        }
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static int Run(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    /// <summary>One host process on a free local port; killed on dispose.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;

        private readonly string _dataDirectory;

        private HostProcess(Process process, Uri address, string dataDirectory)
        {
            _process = process;
            _dataDirectory = dataDirectory;
            Http = new HttpClient { BaseAddress = address };
        }

        public HttpClient Http { get; }

        public static async Task<HostProcess> StartAsync(string dataDirectory)
        {
            var port = FreePort();
            var process = Start(dataDirectory, port);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            ready.CancelAfter(TimeSpan.FromMinutes(1));
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The host exited with {process.ExitCode} before it listened");
                }

                try
                {
                    if ((await host.Http.GetAsync("/health", ready.Token)).IsSuccessStatusCode)
                    {
                        return host;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(100, ready.Token);
            }
        }

        public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDirectory)
        {
            using var process = Start(dataDirectory, FreePort());
            var output = process.StandardOutput.ReadToEndAsync(Ct);
            var error = process.StandardError.ReadToEndAsync(Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            return (process.ExitCode, await output + await error);
        }

        /// <summary>The emulator mounted in the host, with the credentials it generated in its data directory.</summary>
        public HttpClient Emulator()
        {
            var credentials = ChatHostFactory.EmulatorCredentialsIn(_dataDirectory);
            var client = new HttpClient { BaseAddress = new Uri(Http.BaseAddress!, "/emulator/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
            return client;
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
            Http.Dispose();
        }

        private static Process Start(string dataDirectory, int port)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "WebApiHost.dll");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                ArgumentList = { dll },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.Environment["Emulator__DataDirectory"] = dataDirectory;
            start.Environment["urls"] = $"http://127.0.0.1:{port}";
            start.Environment["Logging__Console__FormatterName"] = "simple";
            foreach (var twilio in start.Environment.Keys.Where(k => k.StartsWith("TWILIO_", StringComparison.Ordinal) || k.StartsWith("Twilio__", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(twilio);
            }

            return Process.Start(start) ?? throw new InvalidOperationException("Could not start the host");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
