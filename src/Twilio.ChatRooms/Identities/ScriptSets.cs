using System.Text;

namespace Twilio.ChatRooms;

/// <summary>
/// Mixed-script detection of UTS #39 §5.1-5.2 at the "Highly Restrictive" level: a name is written in one script (its
/// resolved script set, the intersection of its characters' augmented Script_Extensions, is not empty), or it is covered
/// by Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, or Latin + Han + Hangul. Common and Inherited
/// characters (digits, ASCII punctuation, most marks) go with any script.
/// </summary>
internal sealed class ScriptSets
{
    private static readonly string[][] LatinCombinations =
    [
        ["Latn", "Hani", "Hira", "Kana"],
        ["Latn", "Hani", "Bopo"],
        ["Latn", "Hani", "Hang"],
    ];

    private readonly List<(Rune Rune, HashSet<string> Scripts)> _characters = [];

    public ScriptSets(IEnumerable<Rune> runes)
    {
        foreach (var rune in runes)
        {
            var scripts = UnicodeProperties.ScriptExtensions(rune.Value);
            if (scripts is ["Zyyy"] or ["Zinh"])
            {
                continue; // goes with every script
            }

            _characters.Add((rune, Augmented(scripts)));
        }
    }

    /// <summary>Whether the code point's Script_Extensions holds <paramref name="script"/>.</summary>
    public static bool Has(int codePoint, string script) => UnicodeProperties.ScriptExtensions(codePoint).Contains(script);

    /// <summary>Whether any character of the name is of one of <paramref name="scripts"/>.</summary>
    public bool HasAny(params string[] scripts) => _characters.Any(c => c.Scripts.Overlaps(scripts));

    /// <summary>Why the name mixes scripts, or null when it is highly restrictive.</summary>
    public string? Refusal()
    {
        if (_characters.FirstOrDefault(c => c.Scripts.Count == 0) is { Scripts: not null } unknown)
        {
            return $"must not contain characters this library's script data (Unicode 15.0) does not know ({IdentityCharacters.Found(unknown.Rune)})";
        }

        if (_characters.Count == 0)
        {
            return null;
        }

        var resolved = new HashSet<string>(_characters[0].Scripts);
        foreach (var (_, scripts) in _characters)
        {
            resolved.IntersectWith(scripts);
        }

        if (resolved.Count > 0 || LatinCombinations.Any(allowed => _characters.All(c => c.Scripts.Overlaps(allowed))))
        {
            return null;
        }

        var seen = _characters.Select(c => c.Scripts.Where(s => s.Length == 4 && s is not ("Jpan" or "Kore" or "Hanb")).Order(StringComparer.Ordinal).First())
            .Distinct().Order(StringComparer.Ordinal);
        return $"mixes scripts ({string.Join(", ", seen)}, as ISO 15924 codes), so it could pass for another name: write it in one script, "
            + "or Latin with Han, Hiragana, Katakana, Bopomofo or Hangul";
    }

    /// <summary>The augmented script set of UTS #39 §5.1: Han, Hiragana, Katakana, Hangul and Bopomofo join their writing systems.</summary>
    private static HashSet<string> Augmented(IReadOnlyList<string> scripts)
    {
        var set = new HashSet<string>(scripts, StringComparer.Ordinal);
        if (set.Contains("Hani"))
        {
            set.UnionWith(["Hanb", "Jpan", "Kore"]);
        }

        if (set.Contains("Hira") || set.Contains("Kana"))
        {
            set.Add("Jpan");
        }

        if (set.Contains("Hang"))
        {
            set.Add("Kore");
        }

        if (set.Contains("Bopo"))
        {
            set.Add("Hanb");
        }

        return set;
    }
}
