using System.Globalization;

namespace Twilio.ChatRooms;

/// <summary>
/// The Unicode properties the identity rules need that .NET does not expose (Script_Extensions, Bidi_Class,
/// Default_Ignorable_Code_Point, the Overlay combining class), read once from <c>Data/unicode-properties.txt</c>, which
/// <c>Data/generate.py</c> writes from the Unicode Character Database 15.0.0 (Debian's <c>unicode-data</c>).
/// </summary>
internal static class UnicodeProperties
{
    private static readonly Lazy<Tables> Data = new(Load);

    /// <summary>The script codes (ISO 15924) of <paramref name="codePoint"/>'s Script_Extensions; empty when unknown.</summary>
    public static IReadOnlyList<string> ScriptExtensions(int codePoint) => Data.Value.Scripts.Find(codePoint) ?? [];

    /// <summary>The Bidi_Class of an assigned code point (<c>L</c>, <c>R</c>, <c>AL</c>, <c>EN</c>, ...); null when unlisted.</summary>
    public static string? BidiClass(int codePoint) => Data.Value.Bidi.Find(codePoint);

    /// <summary>Default_Ignorable_Code_Point: drawn as nothing (ZWSP, ZWJ, BOM, bidi controls, variation selectors, tags...).</summary>
    public static bool IsDefaultIgnorable(int codePoint) => Data.Value.Ignorable.Find(codePoint) is not null;

    /// <summary>Canonical_Combining_Class 1 (Overlay): a mark drawn through its letter, such as U+0338.</summary>
    public static bool IsOverlay(int codePoint) => Data.Value.Overlay.Find(codePoint) is not null;

    private sealed record Tables(Ranges<string[]> Scripts, Ranges<string> Bidi, Ranges<string> Ignorable, Ranges<string> Overlay);

    /// <summary>Sorted, disjoint code point ranges with a value each, looked up by binary search.</summary>
    private sealed class Ranges<T>(List<(int Start, int End, T Value)> ranges)
        where T : class
    {
        private readonly int[] _starts = [.. ranges.Select(r => r.Start)];

        public T? Find(int codePoint)
        {
            var i = Array.BinarySearch(_starts, codePoint);
            i = i >= 0 ? i : ~i - 1;
            return i >= 0 && codePoint <= ranges[i].End ? ranges[i].Value : null;
        }
    }

    private static Tables Load()
    {
        var scripts = new List<(int, int, string[])>();
        var bidi = new List<(int, int, string)>();
        var ignorable = new List<(int, int, string)>();
        var overlay = new List<(int, int, string)>();
        using var stream = typeof(UnicodeProperties).Assembly.GetManifestResourceStream("Twilio.ChatRooms.unicode-properties.txt")
            ?? throw new InvalidOperationException("The embedded resource unicode-properties.txt is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(' ');
            var start = int.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = int.Parse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            switch (fields[0])
            {
                case "sx": scripts.Add((start, end, fields[3..])); break;
                case "bc": bidi.Add((start, end, fields[3])); break;
                case "di": ignorable.Add((start, end, "")); break;
                case "ov": overlay.Add((start, end, "")); break;
            }
        }

        return new Tables(new(scripts), new(bidi), new(ignorable), new(overlay));
    }
}
