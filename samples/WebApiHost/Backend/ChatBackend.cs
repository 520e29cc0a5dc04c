using System.Text.Json.Nodes;

namespace WebApiHost.Backend;

/// <summary>Which back end the host talks to, and how a browser's chat SDK reaches it, as the login response says.</summary>
/// <param name="Name"><c>twilio</c> or <c>emulator</c>, for logs and <c>/health</c>.</param>
/// <param name="TwilsockPath">
/// On the emulator, the path of its twilsock endpoint on this host (or, for an emulator in a process of its own, its
/// address, <c>Twilio:TwilsockUri</c>), which the client passes to Twilio's SDK as <c>Twilsock.uri</c>; null on Twilio,
/// whose SDK knows its own address.
/// </param>
/// <param name="EmulatorOrigin">For an emulator in a process of its own, its origin (<c>http://host:port</c>); else null.</param>
internal sealed record ChatBackend(string Name, string? TwilsockPath, Uri? EmulatorOrigin = null)
{
    public static ChatBackend Twilio { get; } = new("twilio", null);

    public static ChatBackend Emulator { get; } = new("emulator", ChatBackendExtensions.EmulatorPrefix + "/twilsock");

    /// <summary>
    /// An emulator that runs in a process of its own (the <c>conversations-emulator</c> tool, such as Aspire's resource):
    /// the library reaches it like Twilio, at <c>Twilio:BaseAddress</c> with <c>Twilio:*</c> credentials; the browser's
    /// SDK at <paramref name="twilsockUri"/>.
    /// </summary>
    public static ChatBackend EmulatorAt(Uri twilsockUri) => new("emulator", twilsockUri.ToString(),
        new Uri((twilsockUri.Scheme == "wss" ? "https://" : "http://") + twilsockUri.Authority));

    /// <summary>The emulator is mounted in this host.</summary>
    public bool IsEmulator => ReferenceEquals(this, Emulator);

    /// <summary>The emulator runs in a process of its own (<see cref="EmulatorAt"/>).</summary>
    public bool IsExternalEmulator => EmulatorOrigin is not null;

    /// <summary>
    /// The options for the SDK's <c>Client</c>: empty on Twilio, the twilsock address on the emulator. A path, not a
    /// URL: the browser resolves it against the page it loaded, so nothing here is taken from a request's Host.
    /// </summary>
    public JsonObject ClientOptions() => TwilsockPath is null
        ? []
        : new JsonObject { ["Twilsock"] = new JsonObject { ["uri"] = TwilsockPath } };
}
