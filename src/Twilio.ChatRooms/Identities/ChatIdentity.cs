using System.Text;

namespace Twilio.ChatRooms;

/// <summary>
/// The rules every chat identity follows, in one place so that every host applies the same ones: a host checks a new
/// user's name with <see cref="Canonicalize"/> and keeps the identity it returns. Every library method that takes an
/// identity canonicalizes it the same way, so <c>Alice</c> and <c>alice</c> are one Twilio user.
/// </summary>
/// <remarks>
/// <para>
/// The rules follow the PRECIS UsernameCaseMapped profile (RFC 8265 §3.3, over the IdentifierClass of RFC 8264) and the
/// mixed-script checks of Unicode UTS #39 ("Highly Restrictive"). In order:
/// </para>
/// <list type="number">
/// <item>Fullwidth and halfwidth forms become their ordinary characters (<c>ａｌｉｃｅ</c> → <c>alice</c>).</item>
/// <item>
/// Letters become lowercase by Unicode's full mapping (<c>ALICE</c> → <c>alice</c>, <c>İ</c> → <c>i̇</c>, a word-final
/// <c>Σ</c> → <c>ς</c>); <c>ß</c> and <c>ς</c> stay as they are.
/// </item>
/// <item>The text is normalized to NFC, so a decomposed <c>rene</c> + U+0301 is the same user as <c>rené</c>.</item>
/// <item>
/// Only letters, digits, combining marks and printable ASCII remain allowed. Refused: spaces; control characters;
/// invisible and formatting characters (zero-width space and joiners, byte-order mark, variation selectors, tag
/// characters, Hangul fillers); bidirectional controls (LRM, RLM, RLO, isolates...); enclosing marks and combining
/// overlays such as U+0338; compatibility characters (ligatures, superscripts, circled or styled letters); symbols,
/// emoji and non-ASCII punctuation; unassigned and private-use code points; conjoining Hangul jamo.
/// </item>
/// <item>
/// A name does not start with a combining mark, stacks at most four and never repeats one; uses one numbering system;
/// places the few context-bound characters of RFC 5892 (<c>l·l</c>, Greek keraia, Hebrew geresh, katakana middle dot)
/// where they belong; and follows the Bidi Rule of RFC 5893 when it holds right-to-left letters.
/// </item>
/// <item>
/// It is written in one script, or in Latin with Han + Hiragana + Katakana, Han + Bopomofo, or Han + Hangul: a Cyrillic
/// <c>а</c> inside a Latin <c>alice</c> is refused, while <c>иван</c>, <c>Ελένη</c> and <c>日本語</c> are accepted.
/// </item>
/// <item>
/// The result is 1 to 256 characters long and not <c>.</c> or <c>..</c> (no URL can carry them as one path segment).
/// </item>
/// </list>
/// <para>
/// Not covered: names that are wholly in another script yet look alike (an all-Cyrillic <c>асе</c> beside a Latin
/// <c>ace</c>; UTS #39 whole-script confusables need the list of existing names to compare with).
/// </para>
/// </remarks>
public static class ChatIdentity
{
    /// <summary>Longer input is refused before any work; canonical forms are at most <see cref="Arguments.MaxLength"/>.</summary>
    private const int MaxInputLength = 4 * Arguments.MaxLength;

    /// <summary>
    /// Returns the canonical form of <paramref name="identity"/>, the one the library sends to Twilio, or throws an
    /// <see cref="ArgumentException"/> naming <paramref name="paramName"/> and saying why the name is refused.
    /// </summary>
    /// <param name="identity">The name a person typed.</param>
    /// <param name="paramName">The parameter or field to name in the exception.</param>
    /// <returns>The identity to use from now on; canonicalizing it again returns it unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="identity"/> is null.</exception>
    /// <exception cref="ArgumentException">The name cannot be an identity; the message says why (see the remarks).</exception>
    public static string Canonicalize(string? identity, string paramName = "identity")
    {
        if (identity is null)
        {
            throw new ArgumentNullException(paramName, "The identity must not be null.");
        }

        if (string.IsNullOrWhiteSpace(identity))
        {
            throw Refused("must not be empty or whitespace", paramName);
        }

        if (identity.Length > MaxInputLength)
        {
            throw Refused($"is {identity.Length} characters long; Twilio allows at most {Arguments.MaxLength}", paramName);
        }

        var canonical = ToLowerCase(MapWidth(Runes(identity, paramName))).Normalize(NormalizationForm.FormC);
        var runes = Runes(canonical, paramName);
        var scripts = new ScriptSets(runes);
        var refusal = runes.Select(IdentityCharacters.Disallowed).FirstOrDefault(reason => reason is not null)
            ?? IdentityCharacters.Marks(canonical)
            ?? IdentityCharacters.Context(runes, scripts)
            ?? IdentityDirection.Refusal(runes)
            ?? scripts.Refusal();
        if (refusal is not null)
        {
            throw Refused(refusal, paramName);
        }

        if (canonical.Length > Arguments.MaxLength)
        {
            throw Refused($"is {canonical.Length} characters long; Twilio allows at most {Arguments.MaxLength}", paramName);
        }

        return canonical is "." or ".."
            ? throw Refused($"must not be '{canonical}': a dot segment cannot be sent in a URL path", paramName)
            : canonical;
    }

    /// <summary>RFC 8265 width mapping: fullwidth and halfwidth forms (U+FF00-FFEF) and U+3000 to their ordinary characters.</summary>
    private static string MapWidth(List<Rune> runes)
    {
        var mapped = new StringBuilder();
        foreach (var rune in runes)
        {
            // The block's only compatibility mappings are <wide> and <narrow>, so NFKC of one of them is its width mapping.
            mapped.Append(rune.Value is (>= 0xFF00 and <= 0xFFEF) or 0x3000
                ? rune.ToString().Normalize(NormalizationForm.FormKC)
                : rune.ToString());
        }

        return mapped.ToString();
    }

    /// <summary>
    /// Unicode's full toLowerCase, which RFC 8265 names: the simple mappings .NET applies, plus the two it leaves out
    /// that change how a name reads: U+0130 (İ) becomes i + U+0307, and a capital sigma ending a word becomes ς.
    /// </summary>
    private static string ToLowerCase(string text)
    {
        text = text.Replace("\u0130", "i\u0307", StringComparison.Ordinal);
        var lower = new StringBuilder(text.ToLowerInvariant()); // one char for one char, so indexes match
        for (var i = 1; i < text.Length; i++)
        {
            // Final_Sigma (simplified): after a letter, and not before one.
            if (text[i] == '\u03A3' && char.IsLetter(text[i - 1]) && (i + 1 == text.Length || !char.IsLetter(text[i + 1])))
            {
                lower[i] = '\u03C2';
            }
        }

        return lower.ToString();
    }

    /// <summary>The code points of <paramref name="text"/>; a lone surrogate is refused.</summary>
    private static List<Rune> Runes(string text, string paramName)
    {
        var runes = new List<Rune>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                throw Refused("is not valid UTF-16 text (it holds a lone surrogate)", paramName);
            }

            runes.Add(rune);
            i += used;
        }

        return runes;
    }

    private static ArgumentException Refused(string reason, string paramName) => new($"The identity {reason}.", paramName);
}
