using System.Diagnostics;

namespace Twilio.ChatRooms.Http;

/// <summary>
/// One client span for each call the library makes to Twilio (the outermost handler of its HTTP client, so the retries
/// are inside it), named after the route, never the path (which may hold an identity or a room's name). While it is
/// current, the HTTP client sends its context as <c>traceparent</c>, so the emulator's span of the request continues the
/// trace. The call's duration goes to <see cref="ChatRoomsTelemetry.RequestDuration"/>.
/// </summary>
internal sealed class TelemetryHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) : [];
        var template = Template(segments);
        var method = request.Method.Method;
        using var activity = ChatRoomsTelemetry.Source.StartActivity($"{method} {template}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("url.template", template);
            activity.SetTag("server.address", request.RequestUri?.Host);
            if (ConversationSid(segments) is { } conversation)
            {
                activity.SetTag("messaging.system", ChatRoomsTelemetry.MessagingSystem);
                activity.SetTag("messaging.destination.name", conversation);
                if (method == "POST" && segments[^1] == "Messages")
                {
                    activity.SetTag("messaging.operation.type", "send");
                    activity.SetTag("messaging.operation.name", "send");
                }
            }
        }

        var started = Stopwatch.GetTimestamp();
        string status = "none";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                activity?.SetTag("error.type", status);
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            return response;
        }
        catch (Exception e)
        {
            activity?.SetTag("error.type", e.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
        finally
        {
            ChatRoomsTelemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("http.request.method", method),
                new KeyValuePair<string, object?>("url.template", template),
                new KeyValuePair<string, object?>("http.response.status_code", status));
        }
    }

    /// <summary>
    /// The path with its values replaced by <c>{id}</c>: the segment after a collection (a SID, a unique name, an
    /// identity) and anything not a plain word, such as <c>/v1/Services/{id}/Conversations/{id}/Messages</c>.
    /// </summary>
    internal static string Template(string[] segments)
    {
        var parts = new string[segments.Length];
        var afterCollection = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var version = segment.Length == 2 && segment[0] == 'v' && char.IsAsciiDigit(segment[1]);
            var word = version || (segment.Length > 1 && char.IsAsciiLetterUpper(segment[0]) && segment.All(char.IsAsciiLetter)
                && segment.Skip(1).Any(char.IsAsciiLetterLower));
            parts[i] = word && !afterCollection ? segment : "{id}";
            afterCollection = word && !afterCollection && !version && segment != "Configuration";
        }

        return "/" + string.Join('/', parts);
    }

    private static string? ConversationSid(string[] segments)
    {
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i] == "Conversations" && ChatRoomsTelemetry.IsConversationSid(segments[i + 1]))
            {
                return segments[i + 1];
            }
        }

        return null;
    }
}
