namespace Twilio.ChatRooms.Tests.Layering;

/// <summary>
/// Folders only point down: a folder may use the folders below it, never one that uses it (the composition root on top,
/// options, errors and logging at the bottom). A new cycle between folders of a project under src/ (or between the
/// subfolders of a folder that has them) fails here.
/// </summary>
public sealed class FolderLayeringTests
{
    public static TheoryData<string> Projects => new()
    {
        "Twilio.ChatRooms",
        "Twilio.ChatRooms.Emulator",
        "Twilio.ChatRooms.Emulator/ClientProtocol",
        "Twilio.ChatRooms.Emulator/Resources",
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Folders_OfASourceProject_FormNoCycle(string project)
    {
        var dependencies = FolderDependencies.Read(Path.Combine([RepositoryRoot(), "src", .. project.Split('/')]));

        dependencies.Edges.Should().NotBeEmpty("the scan must see the project's folders use each other at all");
        var cycles = dependencies.Cycles();
        cycles.Should().BeEmpty(
            "folders must only point down; these use each other:\n{0}",
            string.Join("\n\n", cycles.Select(c => string.Join(" <-> ", c) + "\n" + dependencies.Describe(c))));
    }

    [Fact]
    public void Cycles_TwoFoldersThatUseEachOther_AreFound()
    {
        var root = Directory.CreateTempSubdirectory("layering-");
        try
        {
            Write(root, "Store/Table.cs", "namespace X; internal sealed class Table { public Rules? Owner; }");
            Write(root, "Rules/Rules.cs", "namespace X; internal sealed class Rules { public Table T = new(); }");
            Write(root, "Rules/Comment.cs", "namespace X; // Hosting is named only in a comment and \"Hosting\" in a string");
            Write(root, "Hosting/Hosting.cs", "namespace X; internal sealed class Hosting { public Rules R = new(); }");
            Write(root, "Registration.cs", "namespace X; internal static class Registration { public static Hosting H = new(); }");

            var dependencies = FolderDependencies.Read(root.FullName);

            dependencies.Cycles().Should().ContainSingle().Which.Should().Equal("Rules", "Store");
            dependencies.Edges[FolderDependencies.Root].Keys.Should().Equal("Hosting");
            dependencies.Edges["Rules"].Keys.Should().Equal("Store");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Write(DirectoryInfo root, string relativePath, string text)
    {
        var path = Path.Combine(root.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Twilio.ChatRooms.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Twilio.ChatRooms.sln not found above the test binaries.");
    }
}
