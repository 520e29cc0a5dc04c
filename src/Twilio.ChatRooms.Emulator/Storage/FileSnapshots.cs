using System.Globalization;
using System.Text;
using System.Text.Json;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// Snapshots in <c>{DataDirectory}/snapshots/{name}/</c>: <c>snapshot.json</c> (what it holds), <c>records.tsv</c> (one
/// stored record a line: kind, SID, parent and its JSON, as the database keeps it) and <c>media/{ME…}</c>. Each is
/// written in a hidden folder, flushed to the disk (files and folders), then renamed into place, so a snapshot is whole or absent; a folder
/// a crash left half-written is deleted at the next start. Owner-only, as the rest of the data directory.
/// </summary>
internal sealed class FileSnapshots : ISnapshotStore
{
    public const string Folder = "snapshots";
    private const string InfoFile = "snapshot.json";
    private const string RecordsFile = "records.tsv";
    private const string MediaFolder = "media";
    private const string PendingPrefix = ".pending-";

    private readonly Lock _gate = new();
    private readonly string _root;

    public FileSnapshots(string dataDirectory)
    {
        _root = Path.Combine(Path.GetFullPath(dataDirectory), Folder);
        OwnerOnly.Directory(_root);
        foreach (var pending in Directory.EnumerateDirectories(_root, PendingPrefix + "*"))
        {
            Directory.Delete(pending, recursive: true);
        }
    }

    public SnapshotInfo Save(string name, DateTimeOffset taken, IReadOnlyList<IRecord> records, IReadOnlyList<SnapshotFile> files, bool replace)
    {
        var pending = Path.Combine(_root, PendingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            return Stored(() =>
            {
                OwnerOnly.Directory(pending);
                OwnerOnly.Directory(Path.Combine(pending, MediaFolder));
                WriteFile(Path.Combine(pending, RecordsFile), stream =>
                {
                    using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                    foreach (var record in records)
                    {
                        // Compact JSON escapes tabs and line breaks, so a record is always one line of four fields.
                        writer.Write(StoredRecords.KindOf(record));
                        writer.Write('\t');
                        writer.Write(record.Sid);
                        writer.Write('\t');
                        writer.Write(StoredRecords.Parent(record));
                        writer.Write('\t');
                        writer.Write(StoredRecords.Serialize(record));
                        writer.Write('\n');
                    }
                });

                long bytes = 0;
                foreach (var file in files)
                {
                    using var content = file.Content;
                    WriteFile(Path.Combine(pending, MediaFolder, file.Sid), stream => content.CopyTo(stream));
                    bytes += content.Length;
                }

                var info = new SnapshotInfo(name, taken, records.Count, files.Count, bytes);
                WriteFile(Path.Combine(pending, InfoFile), stream => JsonSerializer.Serialize(stream, info, SnapshotJsonContext.Default.SnapshotInfo));
                // The files' names are durable with their folders' entries, before the folder takes its name.
                DurableRename.FlushDirectory(Path.Combine(pending, MediaFolder));
                DurableRename.FlushDirectory(pending);
                Publish(pending, name, replace);
                return info;
            });
        }
        finally
        {
            if (Directory.Exists(pending))
            {
                Directory.Delete(pending, recursive: true);
            }
        }
    }

    public SnapshotContent? Load(string name)
    {
        var folder = Path.Combine(_root, name);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        return Stored(() =>
        {
            var info = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(folder, InfoFile)), SnapshotJsonContext.Default.SnapshotInfo)
                ?? throw new InvalidDataException("its snapshot.json is null");
            var records = new List<IRecord>();
            var line = 0;
            foreach (var text in File.ReadLines(Path.Combine(folder, RecordsFile)))
            {
                line++;
                var fields = text.Split('\t', 4);
                if (fields.Length != 4)
                {
                    throw new InvalidDataException($"line {line} of {RecordsFile} is not four fields");
                }

                try
                {
                    records.Add(StoredRecords.Read(fields[0], fields[1], fields[2].Length == 0 ? null : fields[2], fields[3]));
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"line {line} of {RecordsFile}: {e.Message}", e);
                }
            }

            var media = Path.Combine(folder, MediaFolder);
            return new SnapshotContent(info, records, sid => TwilioFormat.IsSid(sid, "ME") && File.Exists(Path.Combine(media, sid))
                ? File.OpenRead(Path.Combine(media, sid))
                : null);
        });
    }

    public IReadOnlyList<SnapshotInfo> List() => Stored(() =>
        Directory.EnumerateDirectories(_root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(d => Path.Combine(d, InfoFile))
            .Where(File.Exists)
            .Select(f => JsonSerializer.Deserialize(File.ReadAllText(f), SnapshotJsonContext.Default.SnapshotInfo))
            .OfType<SnapshotInfo>()
            .OrderBy(i => i.DateCreated)
            .ToList());

    public bool Delete(string name)
    {
        var folder = Path.Combine(_root, name);
        lock (_gate)
        {
            if (!Directory.Exists(folder))
            {
                return false;
            }

            // Renamed away first, so a crash while deleting never leaves a half snapshot under its name.
            var doomed = Path.Combine(_root, PendingPrefix + Guid.NewGuid().ToString("N"));
            Stored(() =>
            {
                Directory.Move(folder, doomed);
                Directory.Delete(doomed, recursive: true);
                return true;
            });
            return true;
        }
    }

    /// <summary>Renames the written folder into place, replacing an older one of that name only when asked to.</summary>
    private void Publish(string pending, string name, bool replace)
    {
        var folder = Path.Combine(_root, name);
        lock (_gate)
        {
            string? old = null;
            if (Directory.Exists(folder))
            {
                if (!replace)
                {
                    throw SnapshotErrors.Exists(name);
                }

                old = Path.Combine(_root, PendingPrefix + Guid.NewGuid().ToString("N"));
                Directory.Move(folder, old);
            }

            DurableRename.Directory(pending, folder);
            if (old is not null)
            {
                Directory.Delete(old, recursive: true);
            }
        }
    }

    private static void WriteFile(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, OwnerOnly.Create(FileMode.CreateNew, FileAccess.Write, FileShare.None));
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>A disk that refuses a write or a read is the store's failure (503), said with what went wrong.</summary>
    private static T Stored<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException)
        {
            throw TwilioErrors.StoreFailed($"snapshots: {e.Message}");
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(SnapshotInfo))]
internal sealed partial class SnapshotJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
