using Twilio.ChatRooms;

namespace WebApiHost.Webhooks;

/// <summary>The host's webhooks: the live room list pushed rather than read every few seconds, and moderation.</summary>
internal static class ChatWebhooks
{
    /// <summary>Where Twilio (or the emulator) calls this host.</summary>
    public const string Path = "/twilio/conversations";

    public static void AddChatWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModerationOptions>().Bind(builder.Configuration.GetSection(ModerationOptions.Section));
        builder.Services.AddSingleton<RoomChangeRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RoomChangeRelay>());
        builder.Services.AddSingleton<IConversationsWebhookHandler, ChatWebhookHandler>();
        builder.Services.AddHostedService<WebhookRegistration>();
    }

    /// <summary>
    /// <c>POST /twilio/conversations</c>: signed by Twilio with the account's auth token (checked by the library), so
    /// neither the session cookie nor the antiforgery token applies.
    /// </summary>
    public static void MapChatWebhooks(this WebApplication app) => app.MapTwilioConversationsWebhooks(Path);
}
