using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// The library registered as a host would, with an emulator standing in for Twilio: the emulator's credentials and
/// its address, nothing else. Linked into the suites and the benchmarks that run the library on an emulator; in a
/// folder of its own, since the other users of tests/TestSupport do not reference the library.
/// </summary>
public static class EmulatorBackedLibrary
{
    /// <summary>Registers the library on the emulator at <paramref name="baseAddress"/>, then applies <paramref name="configure"/>.</summary>
    public static IHttpClientBuilder AddTwilioChatRoomsOn(
        this IServiceCollection services, Uri baseAddress, EmulatorCredentials credentials, Action<TwilioChatRoomsOptions>? configure = null) =>
        services.AddTwilioChatRooms(o =>
        {
            o.AccountSid = credentials.AccountSid;
            o.AuthToken = credentials.AuthToken;
            o.ApiKeySid = credentials.ApiKeySid;
            o.ApiKeySecret = credentials.ApiKeySecret;
            o.BaseAddress = baseAddress;
            configure?.Invoke(o);
        });

    /// <summary>The library alone, on an emulator started in this process.</summary>
    public static ServiceProvider Create(ConversationsEmulatorServer server, Action<TwilioChatRoomsOptions>? configure = null) =>
        Create(server.BaseAddress, server.Credentials, configure);

    /// <summary>An access token for <paramref name="identity"/> from the library's <see cref="ITokenIssuer"/>, as a host issues one.</summary>
    public static async Task<string> TokenAsync(this IServiceProvider library, string identity) =>
        (await library.GetRequiredService<ITokenIssuer>().IssueAsync(identity, TestShortcuts.Ct)).Token;

    /// <summary>The library alone, on an emulator known by its address and credentials (such as one in another process).</summary>
    public static ServiceProvider Create(Uri baseAddress, EmulatorCredentials credentials, Action<TwilioChatRoomsOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTwilioChatRoomsOn(baseAddress, credentials, configure);
        return services.BuildServiceProvider();
    }
}
