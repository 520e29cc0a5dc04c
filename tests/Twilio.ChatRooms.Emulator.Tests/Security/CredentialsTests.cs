using System.Net;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.Tests.Security;

/// <summary>Credentials nobody set are generated, kept owner-only in the data directory, and reused.</summary>
public sealed class CredentialsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-credentials-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task DataDirectory_GeneratesCredentialsOnce_OwnerOnly_AndReusesThem()
    {
        EmulatorCredentials first;
        await using (var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct))
        {
            first = server.Credentials;
        }

        var file = Path.Combine(_directory, EmulatorCredentials.FileName);
        await using var again = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);

        first.Should().NotBe(EmulatorCredentials.Development);
        first.AccountSid.Should().MatchRegex("^AC[0-9a-f]{32}$");
        first.ApiKeySid.Should().MatchRegex("^SK[0-9a-f]{32}$");
        first.ApiKeySecret.Length.Should().BeGreaterThanOrEqualTo(32);
        EmulatorClients.CredentialsIn(_directory).Should().Be(first);
        again.Credentials.Should().Be(first);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task DataDirectory_CredentialsFileOthersCouldRead_IsMadeOwnerOnly()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, EmulatorCredentials.FileName);
        var known = EmulatorCredentials.Generate();
        File.WriteAllText(file, JsonSerializer.Serialize(known, EmulatorClients.CredentialsJson));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);

        server.Credentials.Should().Be(known);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task DataDirectory_UnreadableCredentialsFile_StopsTheStartNamingIt()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, EmulatorCredentials.FileName);
        File.WriteAllText(file, "{ not json");

        var refused = await Assert.ThrowsAsync<EmulatorStorageException>(() =>
            ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct));

        refused.Message.Should().Contain(file);
        refused.Path.Should().Be(file);
        File.ReadAllText(file).Should().Be("{ not json");
    }

    [Fact]
    public async Task WellKnownCredentials_AreRefused_UnlessSetExplicitly()
    {
        Directory.CreateDirectory(_directory);
        await using var generated = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var explicitlyKnown = await ConversationsEmulatorServer.StartAsync(o => o.Credentials = EmulatorCredentials.Development, Ct);
        using var withWellKnown = EmulatorClients.Raw(generated.BaseAddress, EmulatorCredentials.Development);
        using var onExplicit = EmulatorClients.Raw(explicitlyKnown.BaseAddress, EmulatorCredentials.Development);

        using var refused = await withWellKnown.GetAsync("v1/Conversations", Ct);
        using var accepted = await onExplicit.GetAsync("v1/Conversations", Ct);

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
