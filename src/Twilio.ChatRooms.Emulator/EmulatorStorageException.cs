namespace Twilio.ChatRooms.Emulator;

/// <summary>
/// The emulator cannot use its data directory, found when it starts, before it serves anything: another process holds
/// the directory, the path is not a directory, or the database is unreadable, damaged, or of a newer schema. The message
/// names the file and the cause; the file is left as it was.
/// </summary>
public sealed class EmulatorStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="path">The file or directory concerned.</param>
    /// <param name="innerException">The error that revealed it, if any.</param>
    public EmulatorStorageException(string message, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>Creates the exception.</summary>
    public EmulatorStorageException()
    {
        Path = "";
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public EmulatorStorageException(string message) : base(message)
    {
        Path = "";
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The error that revealed it.</param>
    public EmulatorStorageException(string message, Exception innerException) : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>The file or directory the emulator could not use.</summary>
    public string Path { get; }
}
