using System.Text;

namespace Twilio.ChatRooms;

/// <summary>
/// The Bidi Rule of RFC 5893 §2, which RFC 8265 applies to a username holding right-to-left characters: such a name
/// reads the same in any context, and cannot start or end with something that flips how its neighbours are shown.
/// </summary>
internal static class IdentityDirection
{
    private static readonly HashSet<string> RightToLeftAllowed = ["R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"];

    /// <summary>Why a name with right-to-left characters breaks the Bidi Rule, or null (also for names without any).</summary>
    public static string? Refusal(IReadOnlyList<Rune> runes)
    {
        var classes = runes.Select(r => UnicodeProperties.BidiClass(r.Value) ?? "L").ToList();
        if (!classes.Any(c => c is "R" or "AL" or "AN"))
        {
            return null;
        }

        const string Rule = "breaks the bidirectional rule for right-to-left names (RFC 5893)";
        if (classes[0] is not ("R" or "AL"))
        {
            return $"{Rule}: it must start with a right-to-left letter";
        }

        if (classes.FirstOrDefault(c => !RightToLeftAllowed.Contains(c)) is { } other)
        {
            return $"{Rule}: it mixes right-to-left letters with left-to-right ones (bidi class {other})";
        }

        var last = classes.FindLastIndex(c => c != "NSM");
        if (classes[last] is not ("R" or "AL" or "EN" or "AN"))
        {
            return $"{Rule}: it must end with a right-to-left letter or a digit";
        }

        return classes.Contains("EN") && classes.Contains("AN")
            ? $"{Rule}: it mixes European and Arabic-Indic digits"
            : null;
    }
}
