using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace WebApiHost.Tests;

/// <summary>The real host as a child process (<c>dotnet WebApiHost.dll</c>) on a free local port; killed on dispose.</summary>
internal sealed class HostProcess : IDisposable
{
    /// <summary>
    /// The test collection of classes that start host processes: without a connection string they share the build's
    /// <c>App_Data/accounts.db</c>, so they run one at a time (two hosts migrating one file at once abort).
    /// </summary>
    public const string SharedAppData = "Host processes on the build's App_Data";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Process _process;

    private readonly string _dataDirectory;

    private HostProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the host and waits until <c>/health</c> answers 200; <paramref name="settings"/> are more environment variables.</summary>
    public static async Task<HostProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var process = Start(dataDirectory, port, settings);
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

    /// <summary>Runs a host that is expected to stop by itself; <paramref name="settings"/> are more environment variables.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        using var process = Start(dataDirectory, FreePort(), settings);
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

    /// <summary>Sends SIGTERM, as a service manager stops the host.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0, "the signal was delivered");
    }

    /// <summary>Waits (a minute at most) for the host to exit by itself; its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        return _process.ExitCode;
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

    private static Process Start(string dataDirectory, int port, IReadOnlyDictionary<string, string>? settings)
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

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
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
