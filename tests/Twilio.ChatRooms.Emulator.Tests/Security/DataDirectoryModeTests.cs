using System.Diagnostics;
using System.Net;

namespace Twilio.ChatRooms.Emulator.Tests.Security;

/// <summary>
/// The data directory holds every message, private ones too, and the credentials: as a real process, the directory is
/// 0700 and every file in it (the database and SQLite's -wal and -shm, the lock, the credentials) 0600, after start and
/// after writes, whether the process made the directory or found it with wider modes from before.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryModeTests : IDisposable
{
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-modes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task NewDataDirectory_IsOwnerOnly_AfterStartAndAfterWrites()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var (process, address) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            ModesIn(_directory).Should().OnlyContain(entry => entry.Mode == entry.Allowed, "right after start");

            await WriteAsync(address);

            var modes = ModesIn(_directory);
            modes.Select(m => Path.GetFileName(m.Path)).Should().Contain(["conversations-emulator.db", "conversations-emulator.db-wal",
                "conversations-emulator.db-shm", "conversations-emulator.lock", EmulatorCredentials.FileName]);
            modes.Should().OnlyContain(entry => entry.Mode == entry.Allowed, "after writes");
        }
        finally
        {
            EmulatorProcess.Kill(process);
            process.Dispose();
        }
    }

    [Fact]
    public async Task DataDirectoryWithWideModesFromBefore_IsNarrowedAtStart_SideFilesIncluded()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var (first, firstAddress) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        await WriteAsync(firstAddress);
        EmulatorProcess.Kill(first);   // killed: the -wal and -shm stay behind, as after a crash
        first.Dispose();
        File.SetUnixFileMode(_directory, OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            File.SetUnixFileMode(file, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        ModesIn(_directory).Should().Contain(entry => entry.Path.EndsWith("-wal", StringComparison.Ordinal) && entry.Mode != entry.Allowed);

        var (second, address) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            ModesIn(_directory).Should().OnlyContain(entry => entry.Mode == entry.Allowed, "narrowed at start");
            await WriteAsync(address);
            ModesIn(_directory).Should().OnlyContain(entry => entry.Mode == entry.Allowed, "after writes");
        }
        finally
        {
            EmulatorProcess.Kill(second);
            second.Dispose();
        }
    }

    private async Task WriteAsync(Uri address)
    {
        using var http = EmulatorClients.Raw(address, EmulatorClients.CredentialsIn(_directory));
        using var created = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "private")), Ct);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var sid = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("sid").GetString();
        using var message = await http.PostAsync($"v1/Conversations/{sid}/Messages", EmulatorClients.Form(("Author", "alice"), ("Body", "secret")), Ct);
        message.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    /// <summary>The directory and every file in it, with their modes as stat(1) shows them and what they may be.</summary>
    private static List<(string Path, UnixFileMode Mode, UnixFileMode Allowed)> ModesIn(string directory) =>
        [(directory, Commands.ModeOf(directory), OwnerDirectory), .. Directory.EnumerateFiles(directory).Select(f => (f, Commands.ModeOf(f), OwnerFile))];

}
