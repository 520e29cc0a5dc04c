using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using WebApiHost.Tests.PostgreSql;

namespace WebApiHost.Tests;

/// <summary>
/// The accounts database unusable: at start the host says so in one line naming it and exits 1; while it runs, the
/// doors that need it answer 503 with <c>Retry-After</c> and <c>/health</c> answers 503 naming it, until it is back.
/// </summary>
public sealed class AccountsDatabaseFailureTests
{
    private const string Password = "Acc0unts-db-down!";
    private const string DatabasePassword = "Never-Say-This-9";

    [Fact]
    public async Task Start_OnAPostgreSqlNobodyListensOn_ExitsWithOneLineNamingIt_NotItsPassword()
    {
        using var data = new TemporaryDirectory("accounts-unreachable-");
        var port = NetworkAddresses.FreePort();

        var run = await HostProcess.RunToExitAsync(data.Path, new Dictionary<string, string>
        {
            ["ConnectionStrings__Accounts"] = $"Host=127.0.0.1;Port={port};Username=chat;Password={DatabasePassword};Database=chatrooms;Pooling=false",
        });

        run.ExitCode.Should().Be(1, run.Output);
        run.Output.Should().Contain($"Not started: the accounts database (PostgreSQL 127.0.0.1:{port}/chatrooms) cannot be used")
            .And.NotContain(DatabasePassword).And.NotContain("Unhandled exception").And.NotContain("   at ").And.NotContain("Now listening");
    }

    [Fact]
    public async Task Start_WithTheAccountsFileUnderAFile_ExitsWithOneLineNamingIt()
    {
        using var data = new TemporaryDirectory("accounts-under-file-");
        var notAFolder = Path.Combine(data.Path, "not-a-folder");
        await File.WriteAllTextAsync(notAFolder, "a file", Ct);
        var accounts = Path.Combine(notAFolder, "accounts.db");

        var run = await HostProcess.RunToExitAsync(Path.Combine(data.Path, "emulator"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Accounts"] = "Data Source=" + accounts,
        });

        run.ExitCode.Should().Be(1, run.Output);
        run.Output.Should().Contain($"Not started: the accounts database (SQLite {accounts}) cannot be used")
            .And.NotContain("Unhandled exception").And.NotContain("   at ").And.NotContain("Now listening");
    }

    [Fact]
    public async Task Start_WithTheAccountsDiskFull_ExitsWithOneLineNamingIt()
    {
        using var data = new TemporaryDirectory("accounts-full-start-");
        using var mount = FullDisk.Mount(Path.Combine(data.Path, "disk"));
        mount.Fill();
        var accounts = Path.Combine(mount.Path, "accounts.db");

        var run = await HostProcess.RunToExitAsync(Path.Combine(data.Path, "emulator"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Accounts"] = "Data Source=" + accounts,
        });

        run.ExitCode.Should().Be(1, run.Output);
        run.Output.Should().Contain($"Not started: the accounts database (SQLite {accounts}) cannot be used").And.Contain("full")
            .And.NotContain("Unhandled exception").And.NotContain("   at ").And.NotContain("Now listening");
    }

    [Fact]
    public async Task PostgreSqlStopped_SignUpSignInAndToken_Answer503WithRetryAfter_HealthNamesIt_AndAllWorkOnceItIsBack()
    {
        await using var postgres = await PostgresServer.StartAsync(Ct);
        await using var host = new ChatHostFactory
        {
            Settings = new Dictionary<string, string> { ["ConnectionStrings:Accounts"] = postgres.ConnectionString("chatrooms") },
        };
        var name = SignedInUser.NewName("pgdown");
        using var signedIn = new HostSession(host);
        await signedIn.CreateAccountAsync(name, Password);
        using var newcomer = new HostSession(host);
        await newcomer.RefreshAntiforgeryAsync();
        using var returning = new HostSession(host);
        await returning.RefreshAntiforgeryAsync();
        using var plain = host.CreateRealClient();
        (await plain.GetAsync("/health", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        await postgres.StopAsync(Ct);
        var signUp = await newcomer.PostAsync("/account", new { username = SignedInUser.NewName("pgdown"), password = Password });
        var signIn = await returning.SignInAsync(name, Password);
        var token = await signedIn.PostAsync("/token", json: null);
        var health = await plain.GetAsync("/health", Ct);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>(Ct);

        foreach (var (door, response) in new[] { ("POST /account", signUp), ("POST /login", signIn), ("POST /token", token) })
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, door);
            response.Headers.RetryAfter.Should().NotBeNull(door);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", door);
            (await response.Content.ReadAsStringAsync(Ct)).Should().Contain("accounts database").And.NotContain("   at ", door);
        }

        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        report.GetProperty("status").GetString().Should().Be("unhealthy");
        report.GetProperty("detail").GetString().Should().Contain($"The accounts database (PostgreSQL 127.0.0.1:{postgres.Port}/chatrooms) cannot be used");

        await postgres.StartAgainAsync(Ct);
        (await plain.GetAsync("/health", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await returning.SignInAsync(name, Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await signedIn.PostAsync("/token", json: null)).StatusCode.Should().Be(HttpStatusCode.OK, "the session outlived the outage");
    }

    [Fact]
    public async Task SqliteDiskFull_SignUpAnswers503WithRetryAfter_HealthNamesTheFile_AndBothRecoverOnceThereIsRoom()
    {
        using var data = new TemporaryDirectory("accounts-full-run-");
        using var mount = FullDisk.Mount(Path.Combine(data.Path, "disk"));
        var accounts = Path.Combine(mount.Path, "accounts.db");
        await using var host = new ChatHostFactory
        {
            DataDirectory = Path.Combine(data.Path, "emulator"),
            Settings = new Dictionary<string, string> { ["ConnectionStrings:Accounts"] = "Data Source=" + accounts },
        };
        using var plain = host.CreateRealClient();
        (await plain.GetAsync("/health", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        mount.Fill();
        HttpResponseMessage signUp;
        var tries = 0;
        do
        {
            using var newcomer = new HostSession(host);
            signUp = await newcomer.PostAsync("/account", new { username = SignedInUser.NewName("full"), password = Password });
        }
        while (signUp.StatusCode == HttpStatusCode.NoContent && ++tries < 200);

        var health = await plain.GetAsync("/health", Ct);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>(Ct);
        mount.Empty();
        var healthAfter = await plain.GetAsync("/health", Ct);
        using var later = new HostSession(host);
        var signUpAfter = await later.PostAsync("/account", new { username = SignedInUser.NewName("full"), password = Password });

        signUp.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        signUp.Headers.RetryAfter.Should().NotBeNull();
        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        report.GetProperty("detail").GetString().Should().Contain($"The accounts database (SQLite {accounts}) cannot be used").And.Contain("full");
        healthAfter.StatusCode.Should().Be(HttpStatusCode.OK);
        signUpAfter.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }


    /// <summary>A 4 MB tmpfs, filled to the last byte on demand; skips the test where it cannot be mounted (not root, not Linux).</summary>
    private sealed class FullDisk : IDisposable
    {
        private FullDisk(string path) => Path = path;

        public string Path { get; }

        private string Filler => System.IO.Path.Combine(Path, "filler");

        public static FullDisk Mount(string path)
        {
            Directory.CreateDirectory(path);
            if (!OperatingSystem.IsLinux() || Commands.Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", path) != 0)
            {
                Assert.Skip("This machine does not let the test mount a small tmpfs (it needs Linux, root and mount -t tmpfs), so a full disk cannot be made.");
            }

            return new FullDisk(path);
        }

        public void Fill()
        {
            using var file = new FileStream(Filler, FileMode.Create);
            try
            {
                while (true)
                {
                    file.Write(new byte[4096]);
                    file.Flush();
                }
            }
            catch (IOException)
            {
                // Full.
            }
        }

        public void Empty() => File.Delete(Filler);

        public void Dispose() => Commands.Run("umount", "-l", Path);

    }
}
