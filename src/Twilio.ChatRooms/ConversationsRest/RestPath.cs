namespace Twilio.ChatRooms.ConversationsRest;

/// <summary>
/// Builds Conversations paths so that no value can change which resource a request names: every segment is escaped
/// with <see cref="Uri.EscapeDataString(string)"/> (so <c>/</c>, <c>?</c>, <c>#</c> and <c>%</c> stay inside it), and
/// the segments that no escape can carry are refused.
/// </summary>
/// <remarks>
/// <c>System.Uri</c>, which the Twilio SDK builds every request with, unescapes <c>%2E</c> and removes dot segments:
/// <c>/Users/..</c> and <c>/Users/%2E%2E</c> both become <c>/</c> before the request leaves (see
/// <c>PathEscapingTests</c>). An empty segment is dropped by routers. So <c>""</c>, <c>.</c> and <c>..</c> cannot be
/// sent as one segment at all; identities and room names refuse them before they get here.
/// </remarks>
internal static class RestPath
{
    /// <summary><c>/v1/Configuration</c>: the account's Conversations configuration.</summary>
    public const string Configuration = "/v1/Configuration";

    /// <summary><c>/v1/Services/{serviceSid}/{segments...}</c>, each part escaped.</summary>
    public static string Service(string serviceSid, params ReadOnlySpan<string> segments)
    {
        var path = new System.Text.StringBuilder("/v1/Services/").Append(Segment(serviceSid));
        foreach (var segment in segments)
        {
            path.Append('/').Append(Segment(segment));
        }

        return path.ToString();
    }

    /// <summary>One path segment, escaped; an <see cref="ArgumentException"/> for one no escape can carry.</summary>
    public static string Segment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is "" or "." or "..")
        {
            throw new ArgumentException(
                $"'{value}' cannot be sent as one URL path segment: HTTP clients drop or collapse it.", nameof(value));
        }

        return Uri.EscapeDataString(value);
    }
}
