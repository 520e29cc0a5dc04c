using System.Diagnostics;
using System.Net;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Login;

/// <summary>
/// The sample web host as a child process on loopback (its Release build), with its in-process emulator and its
/// accounts in a temporary folder, for the login series; and the client that talks to it.
/// </summary>
internal static class WebHostProcess
{
    /// <summary>The host's Release build, found above this executable, or null when there is none.</summary>
    public static string? FindHost()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "WebApiHost", "bin", "Release", "net10.0", "WebApiHost.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }


    /// <summary>A client that keeps no cookies: every login is a new browser, signed in by nothing but its request.</summary>
    public static HttpClient NewClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>The host, with its accounts in <paramref name="dataDirectory"/>; the tutorial's sign-in when <paramref name="usernameOnly"/>.</summary>
    public static ChildProcess Start(string dll, int port, string dataDirectory, bool usernameOnly)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory, // no .env with Twilio credentials beside it: the emulator back end
        };
        foreach (var arg in new[]
                 {
                     dll, "--urls", $"http://127.0.0.1:{port}", "--Emulator:DataDirectory", dataDirectory,
                     "--Login:PermitsPerMinute", "1000000", "--Logging:LogLevel:Default", "Warning",
                     "--ConnectionStrings:Accounts", "Data Source=" + Path.Combine(dataDirectory, "accounts.db"),
                     "--Chat:SignIn", usernameOnly ? "UsernameOnly" : "Accounts",
                     // Fixed credentials, set explicitly, on loopback: the benchmark cleans up with them (DeleteUsersAsync).
                     "--Emulator:Credentials:AccountSid", EmulatorCredentials.Development.AccountSid,
                     "--Emulator:Credentials:AuthToken", EmulatorCredentials.Development.AuthToken,
                     "--Emulator:Credentials:ApiKeySid", EmulatorCredentials.Development.ApiKeySid,
                     "--Emulator:Credentials:ApiKeySecret", EmulatorCredentials.Development.ApiKeySecret,
                 })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("TWILIO", StringComparison.OrdinalIgnoreCase)
                                                              || k.StartsWith("Twilio__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return ChildProcess.Start(info);
    }

    /// <summary>Stops the host started by <see cref="Start"/> and deletes its data.</summary>
    public static async Task StopAsync(ChildProcess host, DirectoryInfo dataDirectory)
    {
        await host.DisposeAsync();

        try
        {
            dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans its temporary folder.
        }
    }

    public static async Task WaitForHealthAsync(HttpClient client, ChildProcess host)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"the web host exited with code {host.ExitCode}: {host.Printed}");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the web host did not answer /health within 30 s");
    }
}
