namespace Twilio.ChatRooms.TestSupport;

/// <summary>A new folder under the system's temporary folder, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open is left for the OS to clean.
        }
    }
}
