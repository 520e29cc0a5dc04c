using System.Text.Json;
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
    /// <summary>The reply to the <c>message</c> frame <paramref name="frame"/> (its id <paramref name="id"/>) from <paramref name="session"/>, encoded.</summary>
    public static async Task<byte[]> AnswerAsync(TwilsockSession session, TwilsockFrame frame, string id, ITwilsockRequestHandler requests,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (session.Principal is null)
        {
            return TwilsockFrame.Reply(id, TwilsockFrame.Status(401, "Unauthorized", TwilsockAuthentication.InvalidToken, "Send init first.")).Encode();
        }

        if (!TunnelledRequestReader.TryRead(frame, out var request, out var error))
        {
            return TwilsockFrame.Reply(id, TwilsockFrame.Status(400, "Bad Request", description: error)).Encode();
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

        return Reply(id, response);
    }

    /// <summary>
    /// The reply frame: transport status 200 and the answer's <c>http_status</c>, its body as the payload. Written
    /// directly: every request the SDK sends, every message among them, is answered here.
    /// </summary>
    private static byte[] Reply(string id, TunnelledResponse response)
    {
        var payload = JsonBytes.Write(response.Body, static (w, body) => body.WriteTo(w));
        var header = JsonBytes.Write((id, response.Status, payload.Length), static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("method", "reply");
            w.WriteString("id", r.id);
            WriteStatus(w, "status", 200, "OK");
            WriteStatus(w, "http_status", r.Status, ReasonPhrases.GetReasonPhrase(r.Status));
            w.WriteStartObject("http_headers");
            w.WriteEndObject();
            w.WriteString("payload_type", "application/json");
            w.WriteNumber("payload_size", r.Length);
            w.WriteEndObject();
        });
        return TwilsockFrame.Encode(header, payload);
    }

    /// <summary>A status object as <see cref="TwilsockFrame.Status"/> makes it, without an error code.</summary>
    private static void WriteStatus(Utf8JsonWriter w, string name, int code, string status)
    {
        w.WriteStartObject(name);
        w.WriteNumber("code", code);
        w.WriteString("status", status);
        w.WriteEndObject();
    }
}
