using System.Globalization;
using System.Text;

namespace Twilio.ChatRooms;

/// <summary>
/// Which code points an identity may hold: the PRECIS IdentifierClass (RFC 8264 §4.2, §9), plus the UTS #39 checks on
/// combining marks. Each method returns why a string is refused, or null.
/// </summary>
internal static class IdentityCharacters
{
    /// <summary>Why the code point is not allowed in an identity, or null when it is (context rules aside).</summary>
    public static string? Disallowed(Rune rune)
    {
        var cp = rune.Value;
        var found = Found(rune);

        // RFC 8264 §9.6 exceptions (from RFC 5892 §2.6) come first: letters that are PVALID whatever their category,
        // and characters that are DISALLOWED although they look like letters.
        if (cp is 0x00DF or 0x03C2 or 0x06FD or 0x06FE or 0x0F0B or 0x3007)
        {
            return null;
        }

        if (cp is 0x0640 or 0x07FA or 0x302E or 0x302F or (>= 0x3031 and <= 0x3035) or 0x303B)
        {
            return $"must not contain {found}: it is not allowed in identifiers (RFC 5892 exceptions)";
        }

        if (cp is 0x00B7 or 0x0375 or 0x05F3 or 0x05F4 or 0x30FB)
        {
            return null; // CONTEXTO: checked against its neighbours by Context
        }

        var category = Rune.GetUnicodeCategory(rune);
        if (category == UnicodeCategory.Control)
        {
            return $"must not contain control characters ({found})";
        }

        if (cp is >= 0x21 and <= 0x7E)
        {
            return null; // ASCII7: every printable ASCII character
        }

        if (category == UnicodeCategory.SpaceSeparator || cp == 0x20)
        {
            return $"must not contain spaces ({found})";
        }

        if (cp is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
        {
            return $"must not contain bidirectional controls ({found}): they reorder how the name is shown";
        }

        if (UnicodeProperties.IsDefaultIgnorable(cp) || category == UnicodeCategory.Format)
        {
            return $"must not contain invisible or formatting characters ({found}), such as zero-width spaces and joiners, "
                + "byte-order marks, variation selectors or tags";
        }

        if (category is UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
            || (cp & 0xFFFE) == 0xFFFE || cp is >= 0xFDD0 and <= 0xFDEF)
        {
            return $"must not contain unassigned, private-use or noncharacter code points ({found})";
        }

        if (cp is (>= 0x1100 and <= 0x11FF) or (>= 0xA960 and <= 0xA97F) or (>= 0xD7B0 and <= 0xD7FF))
        {
            return $"must not contain conjoining Hangul jamo ({found}); write the Hangul syllables";
        }

        if (category == UnicodeCategory.EnclosingMark)
        {
            return $"must not contain enclosing marks ({found}): they draw a frame around a letter";
        }

        if (UnicodeProperties.IsOverlay(cp))
        {
            return $"must not contain combining overlays ({found}): they strike through a letter and make it look like another";
        }

        var text = rune.ToString();
        if (!string.Equals(text.Normalize(NormalizationForm.FormKC), text.Normalize(NormalizationForm.FormC), StringComparison.Ordinal))
        {
            return $"must not contain compatibility characters ({found}), such as ligatures, superscripts, circled or styled letters; "
                + "write the plain letters";
        }

        return category switch
        {
            UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => null,
            _ => $"must not contain symbols, punctuation or other characters that are not letters or digits, except printable ASCII ({found})",
        };
    }

    /// <summary>
    /// Rules that look at neighbours: the RFC 5892 CONTEXTO characters and one decimal numbering system (UTS #39 §5.3).
    /// </summary>
    public static string? Context(IReadOnlyList<Rune> runes, ScriptSets scripts)
    {
        int? zero = null;
        for (var i = 0; i < runes.Count; i++)
        {
            var rune = runes[i];
            var previous = i > 0 ? runes[i - 1].Value : -1;
            var next = i + 1 < runes.Count ? runes[i + 1].Value : -1;
            var category = Rune.GetUnicodeCategory(rune);
            var refused = rune.Value switch
            {
                0x00B7 when previous != 'l' || next != 'l' => "may hold U+00B7 MIDDLE DOT only between two l's (Catalan l·l)",
                0x0375 when next < 0 || !ScriptSets.Has(next, "Grek") => "may hold U+0375 GREEK LOWER NUMERAL SIGN only before a Greek letter",
                0x05F3 or 0x05F4 when previous < 0 || !ScriptSets.Has(previous, "Hebr") => $"may hold {Found(rune)} only after a Hebrew letter",
                0x30FB when !scripts.HasAny("Hira", "Kana", "Hani") => "may hold U+30FB KATAKANA MIDDLE DOT only with Hiragana, Katakana or Han",
                _ => null,
            };
            if (refused is not null)
            {
                return refused;
            }

            if (category == UnicodeCategory.DecimalDigitNumber)
            {
                var digitZero = rune.Value - (int)Rune.GetNumericValue(rune);
                if (zero is { } z && z != digitZero)
                {
                    return $"must not mix digits of different numbering systems ({Found(rune)} with U+{z:X4}-based digits)";
                }

                zero = digitZero;
            }
        }

        return null;
    }

    /// <summary>
    /// UTS #39 §5.4 on the decomposed (NFD) name: it does not start with a combining mark, stacks at most four on one
    /// letter and never repeats one in a row.
    /// </summary>
    public static string? Marks(string canonical)
    {
        var marksInARow = 0;
        var previous = -1;
        foreach (var rune in canonical.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                if (previous < 0)
                {
                    return $"must not start with a combining mark ({Found(rune)})";
                }

                if (previous == rune.Value)
                {
                    return $"must not repeat a combining mark ({Found(rune)} twice in a row)";
                }

                if (++marksInARow > 4)
                {
                    return "must not stack more than four combining marks on one letter";
                }
            }
            else
            {
                marksInARow = 0;
            }

            previous = rune.Value;
        }

        return null;
    }

    /// <summary>"found U+200B" for a message.</summary>
    public static string Found(Rune rune) => string.Create(CultureInfo.InvariantCulture, $"found U+{rune.Value:X4}");
}
