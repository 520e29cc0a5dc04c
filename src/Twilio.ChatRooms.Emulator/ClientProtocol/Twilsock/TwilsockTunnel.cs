using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// The REST requests that ride the socket: a <c>message</c> frame carries one (<c>http_request</c>), the client face
/// answers it, and the <c>reply</c> carries the answer back (<c>http_status</c> and the body as payload).
/// </summary>
internal static class TwilsockTunnel
{
    /// <summary>The reply to the <c>message</c> frame <paramref name="frame"/> (its id <paramref name="id"/>) from <paramref name="session"/>.</summary>
    public static async Task<TwilsockFrame> AnswerAsync(TwilsockSession session, TwilsockFrame frame, string id, ITwilsockRequestHandler requests,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (session.Principal is null)
        {
            return TwilsockFrame.Reply(id, TwilsockFrame.Status(401, "Unauthorized", TwilsockAuthentication.InvalidToken, "Send init first."));
        }

        if (!TunnelledRequestReader.TryRead(frame, out var request, out var error))
        {
            return TwilsockFrame.Reply(id, TwilsockFrame.Status(400, "Bad Request", description: error));
        }

        TunnelledResponse response;
        try
        {
            response = await requests.HandleAsync(session, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The SDK reads a failed http_status as an error; never a dropped socket or a stack trace.
            TwilsockLog.RequestFailed(logger, e, request.Method, request.Path);
            response = new TunnelledResponse(500, new JsonObject { ["status"] = 500, ["code"] = 20500, ["message"] = "Internal server error" });
        }

        var header = new JsonObject
        {
            ["method"] = "reply",
            ["id"] = id,
            ["status"] = TwilsockFrame.Status(200, "OK"),
            ["http_status"] = TwilsockFrame.Status(response.Status, ReasonPhrases.GetReasonPhrase(response.Status)),
            ["http_headers"] = new JsonObject(),
        };
        return TwilsockFrame.Create(header, response.Body);
    }
}
