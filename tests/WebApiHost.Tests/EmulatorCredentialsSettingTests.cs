using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Tests;

/// <summary><c>Emulator:Credentials:*</c> fixes the emulator's credentials: all four, explicitly, or none.</summary>
public sealed class EmulatorCredentialsSettingTests
{
    [Fact]
    public async Task CredentialsSetting_AllFour_AreTheOnesInUse_AndNoFileIsWritten()
    {
        var fixedOnes = EmulatorCredentials.Generate();
        await using var factory = new ChatHostFactory { Settings = Settings(fixedOnes), UsernameOnly = true };
        using var client = factory.CreateRealClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/emulator/v1/Conversations");
        request.Headers.Authorization = EmulatorClients.Basic(fixedOnes);

        using var response = await client.SendAsync(request, Ct);
        var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        factory.EmulatorCredentials.Should().Be(fixedOnes);
        alice.Rooms.Should().NotBeEmpty("the library signs and calls with the same credentials");
        File.Exists(Path.Combine(factory.DataDirectory, EmulatorCredentials.FileName)).Should().BeFalse();
    }

    [Fact]
    public async Task CredentialsSetting_Partial_StopsTheStartNamingTheMissingKey()
    {
        var settings = new Dictionary<string, string>(Settings(EmulatorCredentials.Generate()));
        settings.Remove("Emulator:Credentials:ApiKeySecret");
        await using var factory = new ChatHostFactory { Settings = settings };

        var start = () => factory.CreateRealClient();

        // The host checks its settings before it starts, says why in one line and stops (as a process: exit 1).
        start.Should().Throw<Exception>();
        factory.Logs.Entries.Should().ContainSingle(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical)
            .Which.Message.Should().Match("Not started: *Emulator:Credentials:ApiKeySecret*");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CredentialsSetting_OnlyAccountSid_TheProcessExitsWith1_NamingTheMissingKeys_WithoutAStackTrace()
    {
        using var data = new TemporaryDirectory("partial-credentials-");

        var (exitCode, output) = await HostProcess.RunToExitAsync(data.Path,
            new Dictionary<string, string> { ["Emulator__Credentials__AccountSid"] = EmulatorCredentials.Generate().AccountSid });

        exitCode.Should().Be(1);
        output.Should().Contain("Not started").And.Contain("Emulator:Credentials:AuthToken")
            .And.Contain("Emulator:Credentials:ApiKeySid").And.Contain("Emulator:Credentials:ApiKeySecret")
            .And.NotContain("Emulator:Credentials:AccountSid,", "the key that is set is not missing");
        output.Should().NotContain("   at ", "no stack trace").And.NotContain("Unhandled exception").And.NotContain("Now listening");
        File.Exists(Path.Combine(data.Path, EmulatorCredentials.FileName)).Should().BeFalse("nothing is generated for a refused start");
    }

    private static Dictionary<string, string> Settings(EmulatorCredentials credentials) => new()
    {
        ["Emulator:Credentials:AccountSid"] = credentials.AccountSid,
        ["Emulator:Credentials:AuthToken"] = credentials.AuthToken,
        ["Emulator:Credentials:ApiKeySid"] = credentials.ApiKeySid,
        ["Emulator:Credentials:ApiKeySecret"] = credentials.ApiKeySecret,
    };
}
