using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>A snapshot as listed: its name, when it was taken, and what it holds.</summary>
internal sealed record SnapshotInfo(string Name, DateTimeOffset DateCreated, int Records, int MediaFiles, long MediaBytes);

/// <summary>A snapshot read back: its records, parents before children, and the bytes of its media files by SID.</summary>
internal sealed record SnapshotContent(SnapshotInfo Info, IReadOnlyList<IRecord> Records, Func<string, Stream?> OpenMedia);

/// <summary>A media file's bytes to keep in a snapshot: a stream opened while the state was read, disposed once copied.</summary>
internal sealed record SnapshotFile(string Sid, Stream Content);

/// <summary>
/// Where named snapshots of the state are kept: beside the data directory's database, or in memory for an emulator
/// without one. A snapshot is saved whole or not at all.
/// </summary>
internal interface ISnapshotStore
{
    /// <summary>
    /// Keeps <paramref name="records"/> and the bytes of <paramref name="files"/> (each read to its end and disposed) as
    /// <paramref name="name"/>. One that exists is replaced only when <paramref name="replace"/> is set, else 409.
    /// </summary>
    SnapshotInfo Save(string name, DateTimeOffset taken, IReadOnlyList<IRecord> records, IReadOnlyList<SnapshotFile> files, bool replace);

    /// <summary>The snapshot, or null when there is none of that name.</summary>
    SnapshotContent? Load(string name);

    /// <summary>Every snapshot, oldest first.</summary>
    IReadOnlyList<SnapshotInfo> List();

    /// <summary>Deletes the snapshot; false when there was none.</summary>
    bool Delete(string name);
}

/// <summary>Snapshots in memory, for an emulator without a data directory: gone when it stops.</summary>
internal sealed class MemorySnapshots : ISnapshotStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (SnapshotInfo Info, IReadOnlyList<IRecord> Records, Dictionary<string, byte[]> Files)> _snapshots =
        new(StringComparer.Ordinal);

    public SnapshotInfo Save(string name, DateTimeOffset taken, IReadOnlyList<IRecord> records, IReadOnlyList<SnapshotFile> files, bool replace)
    {
        var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var content = file.Content;
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            bytes[file.Sid] = copy.ToArray();
        }

        var info = new SnapshotInfo(name, taken, records.Count, bytes.Count, bytes.Values.Sum(b => (long)b.Length));
        lock (_gate)
        {
            if (!replace && _snapshots.ContainsKey(name))
            {
                throw SnapshotErrors.Exists(name);
            }

            _snapshots[name] = (info, records, bytes);
        }

        return info;
    }

    public SnapshotContent? Load(string name)
    {
        lock (_gate)
        {
            return _snapshots.TryGetValue(name, out var s)
                ? new SnapshotContent(s.Info, s.Records, sid => s.Files.TryGetValue(sid, out var b) ? new MemoryStream(b, writable: false) : null)
                : null;
        }
    }

    public IReadOnlyList<SnapshotInfo> List()
    {
        lock (_gate)
        {
            return [.. _snapshots.Values.Select(s => s.Info).OrderBy(i => i.DateCreated)];
        }
    }

    public bool Delete(string name)
    {
        lock (_gate)
        {
            return _snapshots.Remove(name);
        }
    }
}

/// <summary>The errors the snapshot stores and rules answer, in Twilio's shape.</summary>
internal static class SnapshotErrors
{
    public static EmulatorException Exists(string name) =>
        TwilioErrors.Conflict(TwilioErrors.InvalidParameter, $"A snapshot named '{name}' exists: delete it first, or set Replace=true");

    public static EmulatorException NotFound(string name) => TwilioErrors.NoSuch($"There is no snapshot named '{name}'");
}
