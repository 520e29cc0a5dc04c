using System.Text.RegularExpressions;
using FluentAssertions;

namespace ClientProtocol.Tests;

/// <summary>
/// docs/sdk-coverage.md against the SDK it describes and the tests it cites: a row for every public method and event of
/// the six classes in @twilio/conversations' lib.d.ts, and for every served one a test whose class or probe scripts
/// name the member.
/// </summary>
public sealed partial class SdkCoverageTableTests
{
    private static readonly string[] Classes = ["Client", "Conversation", "Message", "Participant", "User", "Media"];

    [Fact]
    public async Task EveryPublicMemberHasARow_AndEveryServedRowATestThatNamesIt()
    {
        await NodeProbe.EnsureInstalledAsync(NodeProbe.Folder, Ct);
        var declarations = await File.ReadAllTextAsync(Path.Combine(NodeProbe.Folder, "node_modules", "@twilio", "conversations", "builds", "lib.d.ts"), Ct);
        var sdk = SdkMembers(declarations);
        sdk.Should().Contain(["Client.createConversation", "Conversation.sendMessage", "Message.updateAttributes", "Client.messageAdded"],
            "the declarations were read");

        var testsFolder = Path.GetDirectoryName(NodeProbe.Folder)!;
        var table = (await File.ReadAllLinesAsync(Path.Combine(testsFolder, "..", "..", "docs", "sdk-coverage.md"), Ct))
            .Select(l => TableRow().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["member"].Value, m => (Kind: m.Groups["kind"].Value, Status: m.Groups["status"].Value.Trim(), Test: m.Groups["test"].Value));

        table.Keys.Should().BeEquivalentTo(sdk, "the table has one row for each public member of the SDK, and no other");
        table.Values.Select(r => r.Status).Distinct().Should().BeSubsetOf(["served", "not served", "untested", "client-side"]);

        var unproved = new List<string>();
        foreach (var (member, row) in table.Where(r => r.Value.Status == "served"))
        {
            if (!await NamesAsync(testsFolder, row.Test, member, row.Kind))
            {
                unproved.Add($"{member} ({(row.Test.Length == 0 ? "no test" : row.Test)})");
            }
        }

        unproved.Should().BeEmpty("a member marked served needs a test that calls it (its class or the probes that class runs name it)");
    }

    /// <summary>The public methods and events of <see cref="Classes"/>, as <c>Class.member</c>.</summary>
    private static HashSet<string> SdkMembers(string declarations)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Classes)
        {
            foreach (Match m in MethodDeclaration().Matches(Body(declarations, $"declare class {name} ")))
            {
                if (!m.Groups["name"].Value.StartsWith('_') && m.Groups["name"].Value != "constructor")
                {
                    members.Add($"{name}.{m.Groups["name"].Value}");
                }
            }

            // Media has no events.
            var events = name == "Media" ? "" : Body(declarations, $"type {name}Events = ");
            foreach (Match m in EventDeclaration().Matches(events))
            {
                members.Add($"{name}.{m.Groups["name"].Value}");
            }
        }

        return members;
    }

    /// <summary>The text between the braces that follow <paramref name="start"/>, doc comments removed.</summary>
    private static string Body(string text, string start)
    {
        var at = text.IndexOf("\n" + start, StringComparison.Ordinal);
        at.Should().BeGreaterThan(0, $"lib.d.ts declares {start.Trim()}");
        var open = text.IndexOf('{', at);
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return DocComment().Replace(text[(open + 1)..i], "");
            }
        }

        throw new InvalidDataException("unbalanced braces after " + start);
    }

    /// <summary>Whether test <paramref name="test"/> (Class.Method) exists and its class or the probes it runs name <paramref name="member"/>.</summary>
    private static async Task<bool> NamesAsync(string testsFolder, string test, string member, string kind)
    {
        var parts = test.Split('.');
        var file = Path.Combine(testsFolder, parts[0] + ".cs");
        if (parts.Length != 2 || !File.Exists(file))
        {
            return false;
        }

        var source = await File.ReadAllTextAsync(file, Ct);
        if (!source.Contains($"Task {parts[1]}(", StringComparison.Ordinal))
        {
            return false;
        }

        var name = member[(member.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var pattern = kind == "event" ? $"\"{name}\"" : $".{name}(";
        var texts = new List<string> { source };
        foreach (Match probe in ProbeName().Matches(source))
        {
            foreach (var folder in new[] { NodeProbe.Folder, NodeProbe.Sdk1Folder, NodeProbe.Sdk2Folder })
            {
                var path = Path.Combine(folder, probe.Value);
                if (File.Exists(path))
                {
                    texts.Add(await File.ReadAllTextAsync(path, Ct));
                }
            }
        }

        return texts.Any(t => t.Contains(pattern, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\| `(?<member>\w+\.\w+)` \| (?<kind>method|event) \| (?<status>[^|]+) \| `?(?<test>[\w.]*)`? \|")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^ {4}(?:static\s+)?(?:readonly\s+)?(?<name>\w+)(?:<[^>\n]*>)?\(", RegexOptions.Multiline)]
    private static partial Regex MethodDeclaration();

    [GeneratedRegex(@"^ {4}(?<name>\w+)\s*:", RegexOptions.Multiline)]
    private static partial Regex EventDeclaration();

    [GeneratedRegex(@"/\*\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex DocComment();

    [GeneratedRegex(@"[\w-]+\.mjs")]
    private static partial Regex ProbeName();
}
