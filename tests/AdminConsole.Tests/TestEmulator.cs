using System.Text.Json;
using Twilio.ChatRooms.Emulator;

namespace AdminConsole.Tests;

/// <summary>
/// A real emulator with its own data directory, so its generated credentials are in
/// <c>{directory}/emulator-credentials.json</c>, where <c>--emulator-credentials</c> reads them, as a user would.
/// </summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    private readonly ConversationsEmulatorServer _server;
    private readonly string _directory;

    private TestEmulator(ConversationsEmulatorServer server, string directory)
    {
        _server = server;
        _directory = directory;
    }

    public Uri BaseAddress => _server.BaseAddress;

    public EmulatorCredentials Credentials => _server.Credentials;

    public string DefaultServiceSid => _server.DefaultServiceSid;

    public string CredentialsFile => Path.Combine(_directory, EmulatorCredentials.FileName);

    /// <summary><c>--emulator {address} --emulator-credentials {file}</c>.</summary>
    public string[] Options => ["--emulator", BaseAddress.ToString(), "--emulator-credentials", CredentialsFile];

    public static async Task<TestEmulator> StartAsync()
    {
        var directory = NewDirectory();
        var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = directory, TestContext.Current.CancellationToken);
        return new TestEmulator(server, directory);
    }

    /// <summary>A credentials file for an emulator that is not running (or not reachable).</summary>
    public static string WriteCredentialsFile(EmulatorCredentials credentials)
    {
        var file = Path.Combine(NewDirectory(), EmulatorCredentials.FileName);
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            accountSid = credentials.AccountSid,
            authToken = credentials.AuthToken,
            apiKeySid = credentials.ApiKeySid,
            apiKeySecret = credentials.ApiKeySecret,
        }));
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "chatrooms-console-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
