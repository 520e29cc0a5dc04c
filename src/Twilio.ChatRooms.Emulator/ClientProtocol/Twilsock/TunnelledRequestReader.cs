using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// Reads the <c>http_request</c> of a <c>message</c> frame (twilsock's <c>services/upstream.js actualSend</c>): host,
/// path (still percent-encoded, so that a key holding <c>/</c> stays one segment), method, query <c>params</c> (values
/// URL-encoded, a repeated key as an array) and headers.
/// </summary>
internal static class TunnelledRequestReader
{
    public static bool TryRead(TwilsockFrame frame, [NotNullWhen(true)] out TunnelledRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        if (frame.Header["http_request"] is not JsonObject http)
        {
            error = "The message frame has no http_request.";
            return false;
        }

        var method = TwilsockFrame.StringOf(http, "method")?.ToUpperInvariant();
        var path = TwilsockFrame.StringOf(http, "path");
        if (method is not ("GET" or "POST" or "PUT" or "DELETE") || path is null || !path.StartsWith('/'))
        {
            error = "http_request needs a method (GET, POST, PUT or DELETE) and an absolute path.";
            return false;
        }

        var query = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (http["params"] is JsonObject parameters)
        {
            foreach (var (key, value) in parameters)
            {
                var values = value switch
                {
                    JsonArray array => array.Select(Text).OfType<string>().Select(Uri.UnescapeDataString).ToArray(),
                    _ when Text(value) is { } single => [Uri.UnescapeDataString(single)],
                    _ => [],
                };
                query[key] = values;
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (http["headers"] is JsonObject headerNodes)
        {
            foreach (var (key, value) in headerNodes)
            {
                if (Text(value) is { } text)
                {
                    headers[key] = text;
                }
            }
        }

        var contentType = frame.HeaderString("payload_type")
            ?? (headers.TryGetValue("Content-Type", out var declared) ? declared : "application/json");
        request = new TunnelledRequest(method, TwilsockFrame.StringOf(http, "host") ?? "", path, query, headers, contentType, frame.Payload);
        error = null;
        return true;
    }

    // Query values arrive as strings, but a number or boolean is read as its text rather than refused.
    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue(out string? s) ? s : value.ToJsonString()
        : null;
}
