namespace Twilio.ChatRooms;

/// <summary>
/// Settings for Twilio.ChatRooms, validated when the host starts (every bad field is named in one message).
/// </summary>
/// <remarks>
/// Bound from the <c>Twilio</c> configuration section (<c>Twilio:AccountSid</c>, ...) by
/// <c>AddTwilioChatRooms(IConfiguration)</c>, which also accepts the tutorial's variables
/// <c>TWILIO_ACCOUNT_SID</c>, <c>TWILIO_AUTH_TOKEN</c>, <c>TWILIO_API_KEY_SID</c> and <c>TWILIO_API_KEY_SECRET</c>.
/// </remarks>
public sealed class TwilioChatRoomsOptions
{
    /// <summary>The default for <see cref="ParticipantRoleName"/>.</summary>
    public const string DefaultParticipantRoleName = "participant";

    /// <summary>The account SID: <c>AC</c> followed by 32 hex digits. Required.</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>
    /// The account's auth token, used for REST calls when set. Optional: without it, REST calls authenticate with
    /// the API key. Never logged.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>The API key SID: <c>SK</c> followed by 32 hex digits. Required: it signs access tokens.</summary>
    public string ApiKeySid { get; set; } = "";

    /// <summary>The API key's secret, at least 32 bytes. Required: it signs access tokens. Never logged.</summary>
    public string ApiKeySecret { get; set; } = "";

    /// <summary>
    /// The secret that keys the unique names of private conversations (HMAC-SHA256 of the pair), so that nobody without
    /// it can derive one. Optional: when unset, a key is derived from <see cref="ApiKeySecret"/> with HKDF-SHA256.
    /// At least 32 bytes when set. Never logged.
    /// </summary>
    /// <remarks>
    /// Changing the key (or, while this is unset, the API key secret) changes every pair's name: a pair that starts a
    /// private conversation afterwards gets a new one beside the old. Set this once, to a random value of its own, if
    /// the API key will be rotated.
    /// </remarks>
    public string? PrivateConversationKey { get; set; }

    /// <summary>
    /// The conversation service the rooms live in: <c>IS</c> followed by 32 hex digits. Optional: when unset, the
    /// account's default conversation service is read once from Twilio's configuration.
    /// </summary>
    public string? ServiceSid { get; set; }

    /// <summary>The service role given to chat users; it must exist in the service. Default <c>participant</c>.</summary>
    public string ParticipantRoleName { get; set; } = DefaultParticipantRoleName;

    /// <summary>
    /// How long an access token lives: more than 0 and at most 24 hours (Twilio's limit). Default 10 minutes: Twilio
    /// cannot revoke a token, so one that outlives a sign-out (or leaks) works until it expires; a client renews it
    /// while its session lasts, when the SDK raises <c>tokenAboutToExpire</c> (<see cref="ITokenIssuer.RefreshAsync"/>,
    /// or the host's own endpoint).
    /// </summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many rooms a login adds the user to at once. 1 to 64; default 8.</summary>
    public int ProvisioningConcurrency { get; set; } = 8;

    /// <summary>
    /// Where requests go instead of Twilio: an absolute http or https address such as
    /// <c>http://localhost:5000/emulator</c>. Unset (the default) means Twilio itself.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The public address of this host as Twilio calls it (scheme, host, port and any path base, such as
    /// <c>https://chat.example.com</c>), when a proxy or tunnel in front of it changes the address the request arrives
    /// at: Twilio signs the URL it called, so <c>MapTwilioConversationsWebhooks</c> checks signatures over this address
    /// and the request's path. Unset (the default): the request's own address.
    /// </summary>
    public Uri? WebhookPublicUrl { get; set; }

    /// <summary>
    /// Whether the changes this library makes (rooms, participants, messages it creates, changes or deletes) fire the
    /// service's webhooks, as the changes a chat user makes through a client SDK do. Twilio fires webhooks for a REST
    /// change only when the request says <c>X-Twilio-Webhook-Enabled: true</c>; with this on (the default) every change
    /// the library sends says so, so a bot, an archive or a host's live room list hears of rooms the admin console
    /// made. Off: the library's changes are silent, as Twilio's REST API is by default.
    /// </summary>
    public bool FireWebhooks { get; set; } = true;

    /// <summary>
    /// Whether the participant role (<see cref="IParticipantProvisioner.EnsureParticipantRoleAsync"/>) lets users make
    /// conversations of their own with the client SDK (<c>createConversation</c>: groups, as in Twilio's demo). Off by
    /// default, because Twilio cannot stop a user from giving such a conversation a unique name, which would make it
    /// look like a room: turn it on only where a pre-event webhook (<c>onConversationAdd</c>/<c>onConversationUpdate</c>)
    /// refuses that, as the sample web host's does whenever webhooks can reach it.
    /// </summary>
    public bool UsersMayCreateConversations { get; set; }
}
