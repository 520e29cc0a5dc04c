using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// An emulator of its own with the library on it, set up as the web host sets the chat up: the participant role, then
/// rooms and users (<see cref="RoomWithAsync"/>: "a room with alice and bob"). For the tests that drive a client SDK.
/// </summary>
public sealed class ChatOnEmulator : IAsyncDisposable
{
    private ChatOnEmulator(ConversationsEmulatorServer server, ServiceProvider library)
    {
        Server = server;
        Library = library;
    }

    public ConversationsEmulatorServer Server { get; }

    /// <summary>The library's services, registered on the emulator (<see cref="EmulatorBackedLibrary"/>).</summary>
    public ServiceProvider Library { get; }

    public IChatRoomAdmin Admin => Library.GetRequiredService<IChatRoomAdmin>();

    public IParticipantProvisioner Provisioner => Library.GetRequiredService<IParticipantProvisioner>();

    public ITokenIssuer Tokens => Library.GetRequiredService<ITokenIssuer>();

    /// <summary>Starts the emulator (with <paramref name="configure"/>) and the library on it, and makes sure of the participant role.</summary>
    public static async Task<ChatOnEmulator> StartAsync(Action<ConversationsEmulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var server = await ConversationsEmulatorServer.StartAsync(configure, cancellationToken);
        var chat = new ChatOnEmulator(server, EmulatorBackedLibrary.Create(server));
        try
        {
            await chat.Provisioner.EnsureParticipantRoleAsync(cancellationToken);
            return chat;
        }
        catch
        {
            await chat.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the room <paramref name="name"/>, then provisions each of <paramref name="identities"/> (who join every room, as at sign-in).</summary>
    public async Task<ChatRoom> RoomWithAsync(string name, params string[] identities)
    {
        var room = await Admin.CreateRoomAsync(name, TestShortcuts.Ct);
        foreach (var identity in identities)
        {
            await Provisioner.ProvisionAsync(identity, TestShortcuts.Ct);
        }

        return room;
    }

    /// <summary>An access token for <paramref name="identity"/>, as the web host issues one.</summary>
    public Task<string> TokenAsync(string identity) => Library.TokenAsync(identity);

    public async ValueTask DisposeAsync()
    {
        await Library.DisposeAsync();
        await Server.DisposeAsync();
    }
}
