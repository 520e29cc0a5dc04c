using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// The media service's bytes in <c>{DataDirectory}/media/</c>, one file per media SID (0600). An upload streams into
/// <c>.upload-{guid}</c>, is flushed to the disk, and only then renamed to its SID, the directory flushed too (so the
/// name survives a power loss as the bytes do). A process killed during an upload leaves the whole file or only a
/// pending one, which the next start deletes (<see cref="Sweep"/>), with any file whose record never committed.
/// </summary>
internal sealed class FileMediaContent : IMediaContent
{
    public const string Folder = "media";
    private const string PendingPrefix = ".upload-";

    private readonly string _directory;
    private readonly ILogger _logger;

    public FileMediaContent(string dataDirectory, ILogger logger)
    {
        _directory = Path.Combine(Path.GetFullPath(dataDirectory), Folder);
        _logger = logger;
        OwnerOnly.Directory(_directory);
    }

    public async Task<PendingContent> ReceiveAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var pending = NewPendingPath();
        try
        {
            long size;
            var file = CreatePending(pending);
            await using (file.ConfigureAwait(false))
            {
                size = await MediaCopy.CopyAsync(body, file, limit, cancellationToken).ConfigureAwait(false);
                FlushToDisk(file);
            }

            return new Pending(this, pending, size);
        }
        catch
        {
            TryDelete(pending);
            throw;
        }
    }

    public Stream? Open(string sid)
    {
        if (!IsSid(sid))
        {
            return null;
        }

        try
        {
            return new FileStream(Path.Combine(_directory, sid), new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string sid)
    {
        if (IsSid(sid))
        {
            TryDelete(Path.Combine(_directory, sid));
        }
    }

    public void Put(string sid, Stream content)
    {
        if (!IsSid(sid))
        {
            throw new ArgumentException($"{sid} is not a media SID", nameof(sid));
        }

        var pending = NewPendingPath();
        try
        {
            using (var file = CreatePending(pending))
            {
                MediaCopy.Store(() =>
                {
                    content.CopyTo(file);
                    return true;
                });
                FlushToDisk(file);
            }

            Publish(pending, sid, overwrite: true);
        }
        finally
        {
            TryDelete(pending);
        }
    }

    public int Sweep(Func<string, bool> kept)
    {
        var swept = 0;
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(PendingPrefix, StringComparison.Ordinal) || !kept(name))
            {
                TryDelete(path);
                swept++;
            }
        }

        return swept;
    }

    private string NewPendingPath() => Path.Combine(_directory, PendingPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>A new pending file, 0600; on a full disk or a read-only directory the store's failure (503).</summary>
    private static FileStream CreatePending(string path)
    {
        var options = OwnerOnly.Create(FileMode.CreateNew, FileAccess.Write, FileShare.None);
        options.Options = FileOptions.Asynchronous | FileOptions.SequentialScan;
        options.BufferSize = 0; // MediaCopy writes in large pieces already
        return MediaCopy.Store(() => new FileStream(path, options));
    }

    private static void FlushToDisk(FileStream file) => MediaCopy.Store(() =>
    {
        file.Flush(flushToDisk: true);
        return true;
    });

    /// <summary>Gives a pending file its SID, the new name durable too before the record that names it is written.</summary>
    private void Publish(string pending, string sid, bool overwrite) => MediaCopy.Store(() =>
    {
        DurableRename.File(pending, Path.Combine(_directory, sid), overwrite);
        return true;
    });

    /// <summary>ME and 32 hexadecimal digits: never a path of its own.</summary>
    private static bool IsSid(string sid) => TwilioFormat.IsSid(sid, "ME");

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's sweep.
            Log.WriteFailed(_logger, e.Message, e);
        }
    }

    private sealed class Pending(FileMediaContent owner, string path, long size) : PendingContent(size)
    {
        private bool _kept;

        public override void Keep(string sid)
        {
            owner.Publish(path, sid, overwrite: false);
            _kept = true;
        }

        public override void Dispose()
        {
            if (!_kept)
            {
                owner.TryDelete(path);
            }
        }
    }
}
