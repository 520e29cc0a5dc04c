using System.ComponentModel.DataAnnotations;
using WebApiHost.Accounts;

namespace WebApiHost.Backend;

/// <summary>How the chat behaves: the <c>Chat</c> configuration section.</summary>
internal sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>
    /// Whether <c>POST /login</c> makes the user a participant of every room (the tutorial's behaviour, the default).
    /// Twilio caps a conversation at 1,000 participants: turn this off before a room could reach that, and let users
    /// join the rooms they want.
    /// </summary>
    public bool JoinAllRoomsAtLogin { get; set; } = true;

    /// <summary>
    /// How often the room list is read while a browser watches it (<c>GET /rooms/events</c>), when no webhook tells the
    /// host of changes (on Twilio without <see cref="PublicAddress"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RoomDirectoryRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How people sign in: accounts with a password or a passkey (the default), or <see cref="SignInMode.UsernameOnly"/>,
    /// the tutorial's name-is-enough mode for demos and load tests.
    /// </summary>
    public SignInMode SignIn { get; set; } = SignInMode.Accounts;

    /// <summary>
    /// On Twilio, this host's address as Twilio can reach it (such as <c>https://chat.example.com</c>): the host then sets
    /// the service's webhooks to <c>{PublicAddress}/twilio/conversations</c> and its room list is pushed. Unset: the list
    /// is read every <see cref="RoomDirectoryRefreshInterval"/>. On the emulator the host's own address is used.
    /// </summary>
    public Uri? PublicAddress { get; set; }

    /// <summary>How long a sign-in session lasts without use (sliding); the access token is renewed only within it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
