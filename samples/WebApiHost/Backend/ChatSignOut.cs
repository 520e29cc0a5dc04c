using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Backend;

/// <summary>
/// What signing out does to the chat (SECURITY.md, "Signing out"). On the emulator the user's client connections close
/// and every token of theirs issued before is refused (<see cref="EmulatorClientConnections.SignOutAsync"/>). On Twilio
/// nothing can revoke a token: the one the browser holds works until it expires (<c>Twilio:TokenLifetime</c>, 10
/// minutes by default), and without a session the browser cannot renew it.
/// </summary>
internal sealed class ChatSignOut(IServiceProvider services)
{
    public Task SignOutAsync(string identity, CancellationToken cancellationToken) =>
        services.GetService<EmulatorClientConnections>() is { } connections
            ? connections.SignOutAsync(ChatIdentity.Canonicalize(identity, nameof(identity)), cancellationToken)
            : Task.CompletedTask;
}
