using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// One emulator for a test assembly (<c>[assembly: AssemblyFixture(typeof(EmulatorFixture))]</c>). Tests use unique
/// names, so they do not see each other's data.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private ConversationsEmulatorServer? _server;

    public ConversationsEmulatorServer Server => _server ?? throw new InvalidOperationException("Not started");

    public async ValueTask InitializeAsync() => _server = await ConversationsEmulatorServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>A test class on the assembly's shared emulator.</summary>
public abstract class EmulatorTest(EmulatorFixture fixture)
{
    protected ConversationsEmulatorServer Server => fixture.Server;
}
