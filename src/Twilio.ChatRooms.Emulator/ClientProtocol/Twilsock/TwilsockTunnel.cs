using System.Diagnostics;
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

        // One server span per tunnelled request: the SDK sends no trace context over the socket, so each starts a trace
        // (linked to the connection's, which lasts as long as the socket), carried on by its writes to the fan-out and
        // the webhooks. Activity.Current is this method's own: clearing it does not reach the read loop.
        var segments = request.Path.Split('?', 2)[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var connection = Activity.Current;
        Activity.Current = null;
        using var activity = EmulatorTelemetry.Source.StartActivity(ActivityKind.Server, default(ActivityContext),
            links: connection is null ? null : [new ActivityLink(connection.Context)], name: $"twilsock {request.Method} {Template(segments)}");
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "twilsock");
            activity.SetTag("http.request.method", request.Method);
            activity.SetTag("http.route", Template(segments));
            if (EmulatorTelemetry.ConversationSid(segments) is { } conversation)
            {
                activity.SetTag("messaging.system", EmulatorTelemetry.MessagingSystem);
                activity.SetTag("messaging.destination.name", conversation);
                if (request.Method == "POST" && segments[^1] == "Messages")
                {
                    activity.SetTag("messaging.operation.type", "send");
                    activity.SetTag("messaging.operation.name", "send");
                }
            }
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

        activity?.SetTag("http.response.status_code", response.Status);
        if (response.Status >= 500)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        return Reply(id, response);
    }

    /// <summary>
    /// The path with its values replaced by <c>{id}</c>: the segment after a collection (a SID, a key, an identity) and
    /// anything not a plain word, so that a span's name groups the requests of one route and names no user.
    /// </summary>
    internal static string Template(string[] segments)
    {
        var parts = new string[segments.Length];
        var afterCollection = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var word = segment.Length > 0 && (IsVersion(segment) || (char.IsAsciiLetterUpper(segment[0]) && segment.All(char.IsAsciiLetter)
                && segment.Skip(1).Any(char.IsAsciiLetterLower)));
            parts[i] = word && !afterCollection ? segment : "{id}";
            afterCollection = word && !afterCollection && !IsVersion(segment) && segment is not ("Client" or "Configuration");
        }

        return "/" + string.Join('/', parts);
    }

    private static bool IsVersion(string segment) => segment.Length == 2 && segment[0] == 'v' && char.IsAsciiDigit(segment[1]);

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
