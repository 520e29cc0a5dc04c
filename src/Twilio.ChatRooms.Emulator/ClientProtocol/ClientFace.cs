using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.ClientProtocol.Chat;
using Twilio.ChatRooms.Emulator.ClientProtocol.Sync;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>
/// Routes the REST requests that ride the socket to their face by path (the host is only a label the SDK copied):
/// Conversations under <c>Client/v2</c>, Sync under <c>v3</c> / <c>v4</c>, push registrations (kept and listed by the
/// inspector; the emulator sends no push) under <c>v1/registrations</c>. Each refused request (not found, not a
/// participant, not allowed, invalid) is logged as one line at Information, so no client can flood the error log.
/// </summary>
internal sealed class ClientFace(ChatEndpoints chat, SyncEndpoints sync, PushRegistrations push, ILogger<ClientFace> logger) : ITwilsockRequestHandler
{
    private static readonly string[] Chat = ["Client", "v2"];
    private static readonly string[] SyncV3 = ["v3"];
    private static readonly string[] SyncV4 = ["v4", "Subscriptions"];
    private static readonly string[] Registrations = ["v1", "registrations"];

    public Task<TunnelledResponse> HandleAsync(TwilsockSession session, TunnelledRequest request, CancellationToken cancellationToken)
    {
        var path = TunnelledPath.Parse(request.Host, request.Path, Chat, SyncV4, SyncV3, Registrations);

        // What a chat user changes fires webhooks, reported as from the SDK with their identity.
        using var writes = WriteOrigin.Use(WriteOrigin.Sdk(session.Principal?.Identity));
        var response = path?.Segments[0] switch
        {
            "Client" => chat.Handle(session, request, path),
            "v3" or "v4" => sync.Handle(session, request, path),
            "v1" => push.Handle(session, request, path),
            _ => TunnelledResponse.Error(404, TwilioErrors.NotFoundCode, $"The requested resource {request.Path} was not found"),
        };
        if (response.Status >= 400)
        {
            LogRefusal(session, request, response);
        }

        return Task.FromResult(response);
    }

    private void LogRefusal(TwilsockSession session, TunnelledRequest request, TunnelledResponse response)
    {
        var identity = session.Principal?.Identity ?? "(none)";
        var code = response.Body["code"] is System.Text.Json.Nodes.JsonValue c && c.TryGetValue(out int n) ? n : 0;
        var message = response.Body["message"]?.ToString() ?? "";
        if (response.Status < 500)
        {
            Log.ClientRequestRefused(logger, request.Method, request.Path, identity, response.Status, code, message);
        }
        else
        {
            Log.ClientRequestFailed(logger, request.Method, request.Path, identity, response.Status, code, message);
        }
    }
}
