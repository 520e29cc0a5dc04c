using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WebApiHost.Tests;

/// <summary>The real host as a child process (<c>dotnet WebApiHost.dll</c>) on a free local port; killed on dispose.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly ChildProcess _process;

    private readonly string _dataDirectory;

    private HostProcess(ChildProcess process, Uri address, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the host and waits until <c>/health</c> answers 200; <paramref name="settings"/> are more environment variables.</summary>
    public static async Task<HostProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = NetworkAddresses.FreePort();
        var host = new HostProcess(ChildProcess.Start(StartInfo(dataDirectory, port, settings)), new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        ready.CancelAfter(ChildProcess.HangGuard);
        while (true)
        {
            if (host._process.HasExited)
            {
                await host._process.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct); // the rest of its output
                throw new InvalidOperationException($"The host exited with {host._process.ExitCode} before it listened. It printed:\n{host._process.Printed}");
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
        var (exitCode, output, error) = await ChildProcess.RunAsync(StartInfo(dataDirectory, NetworkAddresses.FreePort(), settings), Ct);
        return (exitCode, output + error);
    }

    /// <summary>The emulator mounted in the host, with the credentials it generated in its data directory.</summary>
    public HttpClient Emulator() =>
        EmulatorClients.Raw(new Uri(Http.BaseAddress!, "/emulator"), EmulatorClients.CredentialsIn(_dataDirectory), useAccountToken: true);

    /// <summary>Sends SIGTERM, as a service manager stops the host.</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>Waits (a minute at most) for the host to exit by itself; its exit code.</summary>
    public Task<int> ExitAsync() => _process.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct);

    public void Kill() => _process.Kill();

    public void Dispose()
    {
        _process.Dispose();
        Http.Dispose();
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, int port, IReadOnlyDictionary<string, string>? settings)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "WebApiHost.dll") },
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

        return start;
    }

}
