using System.Text;

namespace Twilio.ChatRooms.Tests;

/// <summary>The identity rules of issue #13 §3: every name a person reads as "alice" is "alice", or refused.</summary>
public sealed class ChatIdentityTests
{
    public static TheoryData<string, string, string> SameUser => new()
    {
        { "Alice", "alice", "capitals" },
        { "ALICE", "alice", "all capitals" },
        { "re\u0301ne\u0301", "r\u00e9n\u00e9", "NFD rené" },
        { "Ren\u00c9", "ren\u00e9", "capital É" },
        { "\u1100\u1161", "\uac00", "modern conjoining jamo compose to the syllable" },
        { "\uff41\uff4c\uff49\uff43\uff45", "alice", "fullwidth letters" },
        { "\uff21\uff2c\uff29\uff23\uff25", "alice", "fullwidth capitals" },
        { "\uff71\uff98\uff7d", "\u30a2\u30ea\u30b9", "halfwidth katakana" },
        { "\uff76\uff9e", "\u30ac", "halfwidth katakana with its voiced mark" },
        { "\u0395\u03bb\u03ad\u03bd\u03b7", "\u03b5\u03bb\u03ad\u03bd\u03b7", "Greek capital" },
        { "\u0418\u0432\u0430\u043d", "\u0438\u0432\u0430\u043d", "Cyrillic capital" },
        { "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3", "\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c2", "Greek capitals: a final sigma at the end" },
        { "\u0130stanbul", "i\u0307stanbul", "Turkish capital dotted I (full lowercase mapping)" },
    };

    [Theory]
    [MemberData(nameof(SameUser))]
    public void Canonicalize_LookAlikeOfAName_ReturnsThatName(string input, string expected, string why)
    {
        ChatIdentity.Canonicalize(input).Should().Be(expected, why);
        ChatIdentity.Canonicalize(expected).Should().Be(expected, "the canonical form is its own canonical form");
    }

    public static TheoryData<string> Accepted => new()
    {
        "alice", "r\u00e9n\u00e9", "\u65e5\u672c\u8a9e", "\u03b5\u03bb\u03ad\u03bd\u03b7", "\u0438\u0432\u0430\u043d", "o'brien", "user.name",
        "a-b_c", "12345", "alice2", "stra\u00dfe", "\u03c3\u03bf\u03c6\u03af\u03b1\u03c2", "...",
        "\u0434\u0430\u0432\u0438\u0434", "\u05d3\u05d5\u05d3", "\u05d3\u05d5\u05d312", "\u0645\u062d\u0645\u062f",
        "\u5c71\u7530\u305f\u308d\u3046", "\u30b8\u30e7\u30f3\u30fb\u30b9\u30df\u30b9", "tanaka\u7530\u4e2d", "kim\uae40\ucca0\uc218",
        "\u5f20\u4f1f\u3105", "col\u00b7lega", "\u0928\u092e\u0938\u094d\u0924\u0947", "%2e", "a%2fb", "a/b", new string('x', 256),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Canonicalize_LegitimateName_IsAcceptedUnchanged(string name)
    {
        ChatIdentity.Canonicalize(name).Should().Be(name);
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "al\u200bice", "invisible", "zero-width space inside" },
        { "al\u200dice", "invisible", "zero-width joiner inside" },
        { "al\u200cice", "invisible", "zero-width non-joiner inside" },
        { "\ufeffalice", "invisible", "byte-order mark" },
        { "alice\ufe0f", "invisible", "variation selector" },
        { "alice\U000E0041\U000E0042", "invisible", "tag characters" },
        { "\u200b\u200b", "invisible", "only zero-width spaces" },
        { "\u3164\u3164", "invisible", "only Hangul fillers" },
        { "\u2060", "invisible", "only a word joiner" },
        { "\u0301\u0301", "combining mark", "only combining marks" },
        { "\u202ealice", "bidirectional", "right-to-left override" },
        { "alice\u200e", "bidirectional", "left-to-right mark" },
        { "\u2067alice\u2069", "bidirectional", "right-to-left isolate" },
        { "\u0430lice", "mixes scripts", "Cyrillic а inside Latin alice" },
        { "alic\u0435", "mixes scripts", "Cyrillic е at the end" },
        { "\u03bfmega", "mixes scripts", "Greek ο inside Latin" },
        { "a\u0338lice", "overlay", "combining long solidus overlay" },
        { "a\u20dd", "enclosing", "enclosing circle" },
        { "\ufb01le", "compatibility", "fi ligature" },
        { "alice\u00b2", "compatibility", "superscript two" },
        { "\u24d0lice", "compatibility", "circled a" },
        { "\U0001d41alice", "compatibility", "mathematical bold a" },
        { "alice smith", "spaces", "a space" },
        { "alice\u00a0smith", "spaces", "a no-break space" },
        { "tab\there", "control characters", "a tab" },
        { "alice\u2019s", "symbols, punctuation", "a curly apostrophe" },
        { "alice\U0001f600", "symbols, punctuation", "an emoji" },
        { "alice\ue000", "private-use", "a private-use character" },
        { "al\ud800ice", "lone surrogate", "a lone surrogate" },
        { "\u1113\u1161", "jamo", "old conjoining jamo" },
        { "a\u0301\u0301", "repeat", "the same mark twice" },
        { "a\u0300\u0301\u0302\u0303\u0304", "four", "five marks on one letter" },
        { "12\u0663", "numbering systems", "ASCII and Arabic-Indic digits" },
        { "l\u00b7a", "MIDDLE DOT", "a middle dot not between l's" },
        { "1\u05d3\u05d5\u05d3", "bidirectional rule", "a Hebrew name starting with a digit" },
        { "\u05d3\u05d5\u05d3-", "bidirectional rule", "a Hebrew name ending with a hyphen" },
        { "alice\u0640", "not allowed", "Arabic tatweel" },
        { ".", "dot segment", "a dot" },
        { "..", "dot segment", "two dots" },
        { "", "empty", "empty" },
        { "   ", "whitespace", "spaces only" },
        { "\u3000", "whitespace", "an ideographic space" },
        { new string('x', 257), "at most 256", "257 characters" },
        { new string('x', 5000), "at most 256", "5,000 characters" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Canonicalize_NameThatCouldPassForAnother_ThrowsNamingTheFieldAndWhy(string name, string reason, string why)
    {
        var act = () => ChatIdentity.Canonicalize(name, "username");

        var e = act.Should().Throw<ArgumentException>(why).Which;
        e.ParamName.Should().Be("username");
        e.Message.Should().StartWith("The identity ").And.Contain(reason);
    }

    [Fact]
    public void Canonicalize_Null_ThrowsArgumentNullNamingTheField()
    {
        var act = () => ChatIdentity.Canonicalize(null, "username");

        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("username");
    }

    [Fact]
    public void Canonicalize_EveryAcceptedName_IsNormalizedAndLowercase()
    {
        foreach (var name in Accepted.Select(row => (string)row.Data))
        {
            var canonical = ChatIdentity.Canonicalize(name);
            canonical.IsNormalized(NormalizationForm.FormC).Should().BeTrue();
            canonical.Should().Be(canonical.ToLowerInvariant());
        }
    }
}
