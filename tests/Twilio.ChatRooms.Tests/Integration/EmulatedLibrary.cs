using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>A fresh emulator on a loopback port and the real library talking to it over HTTP.</summary>
internal sealed class EmulatedLibrary : IAsyncDisposable
{
    private EmulatedLibrary(ConversationsEmulatorServer server, ServiceProvider provider)
    {
        Server = server;
        Provider = provider;
    }

    public ConversationsEmulatorServer Server { get; }

    public ServiceProvider Provider { get; }

    public IChatRoomAdmin Admin => Provider.GetRequiredService<IChatRoomAdmin>();

    public IParticipantProvisioner Provisioner => Provider.GetRequiredService<IParticipantProvisioner>();

    public ITokenIssuer Tokens => Provider.GetRequiredService<ITokenIssuer>();

    public static async Task<EmulatedLibrary> StartAsync(Action<TwilioChatRoomsOptions>? configure = null)
    {
        var server = await ConversationsEmulatorServer.StartAsync(_ => { }, TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddTwilioChatRooms(o =>
        {
            o.AccountSid = server.Credentials.AccountSid;
            o.AuthToken = server.Credentials.AuthToken;
            o.ApiKeySid = server.Credentials.ApiKeySid;
            o.ApiKeySecret = server.Credentials.ApiKeySecret;
            o.BaseAddress = server.BaseAddress;
            configure?.Invoke(o);
        });
        return new EmulatedLibrary(server, services.BuildServiceProvider(validateScopes: true));
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Server.DisposeAsync();
    }
}
