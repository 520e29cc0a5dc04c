using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// The rename that media uploads and snapshots use: the file arrives under its new name, the directory is really flushed
/// (a directory the C library cannot open is an error, not a silent success), and nothing is overwritten unless asked.
/// What it protects against (a power loss after the rename) cannot be caused by a test.
/// </summary>
public sealed class DurableRenameTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("durable-rename-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void File_MovesTheBytesUnderTheNewName_AndOverwritesOnlyWhenAsked()
    {
        var from = Path.Combine(_directory, "pending");
        var to = Path.Combine(_directory, "kept");
        File.WriteAllText(from, "first");
        DurableRename.File(from, to);

        File.WriteAllText(from, "second");
        var withoutOverwrite = () => DurableRename.File(from, to);
        withoutOverwrite.Should().Throw<IOException>();
        File.ReadAllText(to).Should().Be("first");

        DurableRename.File(from, to, overwrite: true);
        File.ReadAllText(to).Should().Be("second");
        File.Exists(from).Should().BeFalse();
    }

    [Fact]
    public void Directory_MovesTheFolderWithItsFiles()
    {
        var from = Path.Combine(_directory, ".pending");
        Directory.CreateDirectory(from);
        File.WriteAllText(Path.Combine(from, "records.tsv"), "x");

        DurableRename.Directory(from, Path.Combine(_directory, "named"));

        File.ReadAllText(Path.Combine(_directory, "named", "records.tsv")).Should().Be("x");
    }

    [Fact]
    public void FlushDirectory_OfAMissingDirectory_IsAnIOException()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows has no directory flush; the rename alone is durable there");

        var act = () => DurableRename.FlushDirectory(Path.Combine(_directory, "missing"));

        act.Should().Throw<IOException>().WithMessage("*missing*");
    }
}
