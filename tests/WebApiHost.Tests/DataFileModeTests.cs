using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>
/// The host's data (password hashes, sessions, Data Protection keys in <c>App_Data/accounts.db</c>; every message in
/// the emulator's database) is its user's only: as a real process, <c>App_Data</c> and the emulator's folder 0700 and
/// every file in them 0600, SQLite's -wal and -shm too, after start and after writes, also when found wider.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFileModeTests
{
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task AppData_IsOwnerOnly_AfterStartAndAfterSignUps_AndNarrowedAtStartWhenFoundWider()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var contentRoot = new TemporaryDirectory("modes-root-");
        var appData = Path.Combine(contentRoot.Path, "App_Data");
        var emulator = Path.Combine(appData, "emulator");
        // The host's defaults: accounts in {content root}/App_Data/accounts.db, the emulator in App_Data/emulator.
        var settings = new Dictionary<string, string> { ["ASPNETCORE_CONTENTROOT"] = contentRoot.Path };

        using (var host = await HostProcess.StartAsync(emulator, settings))
        {
            ModesIn(appData, emulator).Should().OnlyContain(e => e.Mode == e.Allowed, "right after start");
            await SignUpAsync(host, "first");
            var modes = ModesIn(appData, emulator);
            modes.Select(m => m.Path).Should().Contain([Path.Combine(appData, "accounts.db"), Path.Combine(appData, "accounts.db-wal"),
                Path.Combine(appData, "accounts.db-shm"), Path.Combine(emulator, "conversations-emulator.db-wal")]);
            modes.Should().OnlyContain(e => e.Mode == e.Allowed, "after writes");
        }

        // As an older host left them: folders 0755, files 0644.
        foreach (var (path, _, allowed) in ModesIn(appData, emulator))
        {
            File.SetUnixFileMode(path, allowed == OwnerFolder
                ? OwnerFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        using (var host = await HostProcess.StartAsync(emulator, settings))
        {
            ModesIn(appData, emulator).Should().OnlyContain(e => e.Mode == e.Allowed, "narrowed at start");
            await SignUpAsync(host, "second");
            ModesIn(appData, emulator).Should().OnlyContain(e => e.Mode == e.Allowed, "after writes");
        }
    }

    /// <summary>A new account over HTTP (antiforgery token, then <c>POST /account</c>): writes the accounts database and a session.</summary>
    private static async Task SignUpAsync(HostProcess host, string prefix)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.Http.BaseAddress };
        var token = (await client.GetFromJsonAsync<JsonElement>("/antiforgery", Ct)).GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { username = SignedInUser.NewName(prefix), password = "M0des-owner-only!" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-XSRF-TOKEN", token);
        var response = await client.SendAsync(request, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Each folder and every file directly in it, with its mode as stat(1) shows it and what it may be.</summary>
    private static List<(string Path, UnixFileMode Mode, UnixFileMode Allowed)> ModesIn(params string[] folders) =>
        [.. folders.SelectMany(folder => new[] { (folder, Commands.ModeOf(folder), OwnerFolder) }
            .Concat(Directory.EnumerateFiles(folder).Select(f => (f, Commands.ModeOf(f), OwnerFile))))];

}
