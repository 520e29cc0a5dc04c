using System.Text.RegularExpressions;

namespace Twilio.ChatRooms.Tests.Layering;

/// <summary>
/// Which folders of a project use which, read from its C# sources: a folder uses another when one of its files names a
/// type declared only there. Comments and string literals are left out; a type name declared in several folders
/// counts for each. The project's root files are one node, "(root)": the composition root, which only points down.
/// </summary>
internal sealed partial class FolderDependencies
{
    public const string Root = "(root)";

    private FolderDependencies(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> edges) => Edges = edges;

    /// <summary>Folder → the folders it uses → the evidence ("file: TypeName").</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Edges { get; }

    public static FolderDependencies Read(string projectDirectory)
    {
        var sources = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(projectDirectory, path)))
            .ToDictionary(path => Path.GetRelativePath(projectDirectory, path), path => WithoutCommentsAndStrings(File.ReadAllText(path)));

        var declaredIn = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            foreach (Match declaration in Declaration().Matches(text))
            {
                // A private nested type is seen only by the type around it.
                if (declaration.Groups["modifiers"].Value.Contains("private", StringComparison.Ordinal))
                {
                    continue;
                }

                var name = declaration.Groups["name"].Value;
                if (!declaredIn.TryGetValue(name, out var folders))
                {
                    declaredIn[name] = folders = new HashSet<string>(StringComparer.Ordinal);
                }

                folders.Add(FolderOf(file));
            }
        }

        var edges = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            var from = FolderOf(file);
            foreach (var name in Identifier().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                if (!declaredIn.TryGetValue(name, out var folders) || folders.Contains(from))
                {
                    continue;
                }

                foreach (var to in folders)
                {
                    if (!edges.TryGetValue(from, out var targets))
                    {
                        edges[from] = targets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                    }

                    if (!targets.TryGetValue(to, out var evidence))
                    {
                        targets[to] = evidence = [];
                    }

                    evidence.Add($"{file}: {name}");
                }
            }
        }

        return new FolderDependencies(edges.ToDictionary(
            e => e.Key,
            e => (IReadOnlyDictionary<string, IReadOnlyList<string>>)e.Value.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value)));
    }

    /// <summary>Every group of folders that use each other (Tarjan's strongly connected components of two or more).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in Edges.TryGetValue(node, out var targets) ? targets.Keys : [])
            {
                if (!index.TryGetValue(target, out var targetIndex))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], targetIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in Edges.Keys.Concat(Edges.Values.SelectMany(t => t.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    /// <summary>A cycle's edges with their evidence, for a failure message.</summary>
    public string Describe(IReadOnlyList<string> cycle)
    {
        var lines = new List<string>();
        foreach (var from in cycle)
        {
            foreach (var (to, evidence) in Edges.TryGetValue(from, out var targets) ? targets : new Dictionary<string, IReadOnlyList<string>>())
            {
                if (cycle.Contains(to))
                {
                    lines.Add($"  {from} -> {to}: {string.Join(", ", evidence.Take(3))}");
                }
            }
        }

        return string.Join('\n', lines);
    }

    private static bool IsBuildOutput(string relativePath)
        => relativePath.Split(Path.DirectorySeparatorChar)[0] is "obj" or "bin";

    private static string FolderOf(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar);
        return parts.Length > 1 ? parts[0] : Root;
    }

    private static string WithoutCommentsAndStrings(string text) => CommentOrString().Replace(text, m => m.Value.StartsWith('/') ? " " : "\"\"");

    // Comments, raw and verbatim strings, then ordinary strings and chars.
    [GeneratedRegex("""//[^\n]*|/\*[\s\S]*?\*/|\"\"\"[\s\S]*?\"\"\"|@"(?:[^"]|"")*"|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])'""")]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"(?<modifiers>(?:\b(?:public|internal|private|protected|static|sealed|abstract|partial|readonly|file)\s+)*)\b(?:class|record(?:\s+struct)?|struct|interface|enum)\s+(?<name>[A-Z]\w*)|\bdelegate\s+[\w<>\[\]?,\s]+?\s(?<name>[A-Z]\w*)\s*[<(]")]
    private static partial Regex Declaration();

    // A capitalised name not reached through a dot: Log.RestRequest names a method and System.Text a namespace, not a
    // type (a type written fully qualified is missed; the code names types through using directives).
    [GeneratedRegex(@"(?<!\.\s*)\b[A-Z]\w*")]
    private static partial Regex Identifier();
}
