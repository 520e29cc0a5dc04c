using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Backend;

namespace WebApiHost.Webhooks;

/// <summary>
/// Once the server listens, points the service's webhooks at this host (<see cref="ChatWebhooks.Path"/>): the room
/// events, so the live room list is pushed, the pre-event check of the conversations users make (groups: never a room
/// or a private conversation), and, with blocked words, the pre-event check of new messages. On the
/// emulator that is this host's own address; on Twilio, <c>Chat:PublicAddress</c>, the address Twilio can reach. Without
/// one (or without the auth token that checks the signatures) the room list is read every
/// <see cref="ChatOptions.RoomDirectoryRefreshInterval"/> instead; the log says which.
/// </summary>
internal sealed class WebhookRegistration(
    IConversationsWebhookSettings settings,
    RoomDirectory directory,
    ChatBackend backend,
    IServer server,
    IOptions<ChatOptions> chat,
    IOptions<ModerationOptions> moderation,
    IOptions<TwilioChatRoomsOptions> twilio,
    ILogger<WebhookRegistration> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var polled = chat.Value.RoomDirectoryRefreshInterval;
        if (string.IsNullOrEmpty(twilio.Value.AuthToken))
        {
            Log.RoomListPolled(logger, polled, "Twilio:AuthToken is not set, so webhook signatures cannot be checked");
            return;
        }

        // An emulator (here or in a process of its own on this machine) calls this host by its own loopback address.
        var address = backend.IsEmulator || backend.IsExternalEmulator ? OwnAddress() : chat.Value.PublicAddress;
        if (address is null)
        {
            Log.RoomListPolled(logger, polled, "Chat:PublicAddress is not set, so Twilio cannot reach this host");
            return;
        }

        var url = new Uri(address, ChatWebhooks.Path);
        var moderated = moderation.Value.BlockedWords.Any(w => !string.IsNullOrWhiteSpace(w));
        // The conversation guards always (users may make conversations, as groups); new messages only with blocked words.
        string[] always = [.. ChatWebhookHandler.RoomEvents, .. ChatWebhookHandler.ConversationGuards];
        string[] filters = moderated ? [.. always, "onMessageAdd"] : always;
        try
        {
            await settings.SetAsync(new ConversationsWebhookSettings(url, url, filters), cancellationToken);
        }
        catch (ChatRoomsException e)
        {
            Log.RoomListPolled(logger, polled, $"the webhooks could not be set ({e.Kind}, {e.Status})");
            return;
        }

        directory.UsePushedChanges();
        Log.RoomListPushed(logger, url.ToString(), moderated);
    }

    /// <summary>This host as the emulator in it calls it: the first address the server listens on, by a loopback name.</summary>
    private Uri? OwnAddress()
    {
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        var uri = new UriBuilder(first.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
