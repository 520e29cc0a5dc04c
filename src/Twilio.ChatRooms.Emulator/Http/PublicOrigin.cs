using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>
/// The scheme, host and port the URLs the emulator writes start with: <see cref="ConversationsEmulatorOptions.PublicAddress"/>,
/// else the server's first listening address (wildcards read as localhost). Never the request's <c>Host</c> header,
/// which any client can set (and DNS rebinding would).
/// </summary>
internal sealed class PublicOrigin(IOptions<ConversationsEmulatorOptions> options, IServiceProvider services)
{
    private string? _origin;

    public string Value => _origin ??= Resolve();

    private string Resolve()
    {
        if (options.Value.PublicAddress is { } configured)
        {
            return configured.GetLeftPart(UriPartial.Authority);
        }

        var listening = (services.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (listening is null)
        {
            return "http://localhost";
        }

        foreach (var wildcard in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
        {
            listening = listening.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return Uri.TryCreate(listening, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "http://localhost";
    }
}
