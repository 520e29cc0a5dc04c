using System.Runtime.InteropServices;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// A rename made durable: flushing a file makes its bytes durable, but its new name lives in the directory, which a
/// power loss can roll back unless the directory itself is flushed too (POSIX <c>fsync</c> on the directory, as SQLite
/// does for its journal). .NET opens no directory as a file, so this calls the C library; on Windows, whose
/// <c>MoveFileEx</c> has no such step, only the rename.
/// </summary>
internal static partial class DurableRename
{
    /// <summary>Renames the file <paramref name="from"/> to <paramref name="to"/> and flushes the directory of <paramref name="to"/>.</summary>
    public static void File(string from, string to, bool overwrite = false)
    {
        System.IO.File.Move(from, to, overwrite);
        FlushDirectory(Path.GetDirectoryName(to)!);
    }

    /// <summary>Renames the folder <paramref name="from"/> to <paramref name="to"/> and flushes the directory of <paramref name="to"/>.</summary>
    public static void Directory(string from, string to)
    {
        System.IO.Directory.Move(from, to);
        FlushDirectory(Path.GetDirectoryName(to)!);
    }

    /// <summary>Flushes <paramref name="directory"/>'s entries to the disk; an <see cref="IOException"/> when it cannot.</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Posix.Open(Posix.Path(directory), Posix.ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Posix.Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Posix.Close(fd);
        }
    }

    private static class Posix
    {
        public const int ReadOnly = 0;

        /// <summary>A path as C takes it: UTF-8, ending in a zero byte.</summary>
        public static byte[] Path(string path) => System.Text.Encoding.UTF8.GetBytes(path + '\0');

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
