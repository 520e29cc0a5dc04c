using System.Text.Json.Nodes;

namespace WebApiHost.Backend;

/// <summary>Which back end the host talks to, and how a browser's chat SDK reaches it, as the login response says.</summary>
/// <param name="Name"><c>twilio</c> or <c>emulator</c>, for logs and <c>/health</c>.</param>
/// <param name="TwilsockPath">
/// On the emulator, the path of its twilsock endpoint on this host, which the client passes to Twilio's SDK as
/// <c>Twilsock.uri</c>; null on Twilio, whose SDK knows its own address.
/// </param>
internal sealed record ChatBackend(string Name, string? TwilsockPath)
{
    public static ChatBackend Twilio { get; } = new("twilio", null);

    public static ChatBackend Emulator { get; } = new("emulator", ChatBackendExtensions.EmulatorPrefix + "/twilsock");

    public bool IsEmulator => ReferenceEquals(this, Emulator);

    /// <summary>
    /// The options for the SDK's <c>Client</c>: empty on Twilio, the twilsock address on the emulator. A path, not a
    /// URL: the browser resolves it against the page it loaded, so nothing here is taken from a request's Host.
    /// </summary>
    public JsonObject ClientOptions() => TwilsockPath is null
        ? []
        : new JsonObject { ["Twilsock"] = new JsonObject { ["uri"] = TwilsockPath } };
}
