namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// Makes a data directory one process's: <c>conversations-emulator.lock</c> held open with <see cref="FileShare.None"/>,
/// which .NET turns into an OS lock (flock on Unix). The OS releases it when the process ends, killed or not, so a
/// leftover file never blocks the next start; only a live holder does.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "conversations-emulator.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    public static DataDirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return new DataDirectoryLock(new FileStream(path, OwnerOnly.Create(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)));
        }
        catch (IOException e)
        {
            throw new EmulatorStorageException(
                $"The emulator's data directory {directory} is held by another process (it has {path} locked). "
                + "Stop that process, or give this one another data directory.", directory, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EmulatorStorageException($"The emulator cannot lock its data directory {directory}: {e.Message}", directory, e);
        }
    }

    public void Dispose() => _file.Dispose();
}
