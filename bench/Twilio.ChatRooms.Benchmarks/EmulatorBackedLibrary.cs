using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks;

/// <summary>The library registered as a host would, against an emulator standing in for Twilio.</summary>
internal static class EmulatorBackedLibrary
{
    public static ServiceProvider Create(ConversationsEmulatorServer server, Action<TwilioChatRoomsOptions>? configure = null) =>
        Create(server.BaseAddress, server.Credentials, configure);

    /// <summary>For an emulator in another process, known by its address and credentials.</summary>
    public static ServiceProvider Create(Uri baseAddress, EmulatorCredentials credentials, Action<TwilioChatRoomsOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTwilioChatRooms(o =>
        {
            o.AccountSid = credentials.AccountSid;
            o.AuthToken = credentials.AuthToken;
            o.ApiKeySid = credentials.ApiKeySid;
            o.ApiKeySecret = credentials.ApiKeySecret;
            o.BaseAddress = baseAddress;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }
}
