namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// The data directory holds every message (private ones too) and the credentials: its owner's only, on Unix the
/// directory 0700 and each file in it 0600. Made so when created, and narrowed on every start (a directory from an
/// older version, a file copied in); SQLite gives its side files (-wal, -shm, -journal) the database file's mode, so
/// creating that file 0600 first covers them too. Nothing on Windows, whose ACLs the user's profile already narrows.
/// </summary>
internal static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="directory"/> (0700) when missing, then narrows it and every file directly in it.</summary>
    public static void Directory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }

        System.IO.Directory.CreateDirectory(directory, DirectoryMode);
        Narrow(directory, DirectoryMode);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
        {
            Narrow(file, FileMode);
        }
    }

    /// <summary>Creates an empty <paramref name="path"/> (0600) unless it exists, so whatever opens it next keeps that mode.</summary>
    public static void File(string path)
    {
        if (OperatingSystem.IsWindows() || System.IO.File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, Create(System.IO.FileMode.CreateNew, FileAccess.Write));
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            // Made meanwhile by another process; narrowed on its start, and refused by the lock if it is running.
        }
    }

    /// <summary>Options for a new file readable by its owner only.</summary>
    public static FileStreamOptions Create(System.IO.FileMode mode, FileAccess access, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>Takes away every permission beyond <paramref name="allowed"/>; never follows a symbolic link out of the directory.</summary>
    public static void Narrow(string path, UnixFileMode allowed)
    {
        if (OperatingSystem.IsWindows() || new FileInfo(path).LinkTarget is not null)
        {
            return;
        }

        var mode = System.IO.File.GetUnixFileMode(path);
        if ((mode & ~allowed) != 0)
        {
            System.IO.File.SetUnixFileMode(path, mode & allowed);
        }
    }
}
