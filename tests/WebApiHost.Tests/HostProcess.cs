using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace WebApiHost.Tests;

/// <summary>The real host as a child process (<c>dotnet WebApiHost.dll</c>) on a free local port; killed on dispose.</summary>
internal sealed class HostProcess : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Process _process;

    private readonly string _dataDirectory;

    // What the host printed so far, for the message when it stops before it listens.
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private HostProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = address };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public HttpClient Http { get; }

    /// <summary>Starts the host and waits until <c>/health</c> answers 200; <paramref name="settings"/> are more environment variables.</summary>
    public static async Task<HostProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var process = Start(dataDirectory, port, settings);
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        ready.CancelAfter(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit();  // the rest of its output
                throw new InvalidOperationException($"The host exited with {process.ExitCode} before it listened. It printed:\n{string.Join('\n', host._output)}");
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

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 500)
        {
            _output.Enqueue(line);
        }
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
        if (settings is null || !settings.ContainsKey("ConnectionStrings__Accounts") && !settings.ContainsKey("ASPNETCORE_CONTENTROOT"))
        {
            // Beside the emulator's data, as ChatHostFactory does: never the build's shared App_Data, so hosts of
            // different tests never migrate one accounts file at once, and a host restarted on the folder keeps its accounts.
            start.Environment["ConnectionStrings__Accounts"] = "Data Source=" + Path.Combine(dataDirectory, "accounts.db");
        }

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
