namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// A tunnelled request's path, split at its face's anchor: <c>Client/v2</c> for Conversations, <c>v3</c> / <c>v4</c>
/// for Sync. Whatever stands before the anchor is the app's own <c>apiUri</c> / <c>cdsUri</c> path and is kept for
/// the links written back, so they lead where the SDK was pointed. Segments are unescaped one by one, so a key that
/// holds <c>/</c> stays one segment.
/// </summary>
internal sealed record TunnelledPath(string Origin, string Prefix, IReadOnlyList<string> Segments)
{
    /// <summary>The absolute URL of <paramref name="rest"/> under the same origin and prefix (escaped segment by segment).</summary>
    public string Url(params string[] rest) => Origin + Prefix + "/" + string.Join('/', rest.Select(Uri.EscapeDataString));

    public static TunnelledPath? Parse(string host, string rawPath, params string[][] anchors)
    {
        // Every message an SDK sends comes through here: no allocation per position tried.
        var raw = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < raw.Length; i++)
        {
            foreach (var anchor in anchors)
            {
                if (StartsAt(raw, i, anchor))
                {
                    var prefix = i == 0 ? "" : "/" + string.Join('/', raw, 0, i);
                    var segments = new string[raw.Length - i];
                    for (var j = 0; j < segments.Length; j++)
                    {
                        segments[j] = Uri.UnescapeDataString(raw[i + j]);
                    }

                    return new TunnelledPath("https://" + (host.Length > 0 ? host : "emulator.invalid"), prefix, segments);
                }
            }
        }

        return null;
    }

    private static bool StartsAt(string[] raw, int at, string[] anchor)
    {
        if (at + anchor.Length > raw.Length)
        {
            return false;
        }

        for (var j = 0; j < anchor.Length; j++)
        {
            if (!string.Equals(raw[at + j], anchor[j], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
