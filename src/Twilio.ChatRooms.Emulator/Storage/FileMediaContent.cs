using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// The media service's bytes in <c>{DataDirectory}/media/</c>, one file per media SID (0600). An upload streams into
/// <c>.upload-{guid}</c>, is flushed to the disk, and only then renamed to its SID, so a process killed during an upload
/// leaves the whole file or only a pending one, which the next start deletes (<see cref="Sweep"/>), with any file whose
/// record never committed.
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
        var pending = Path.Combine(_directory, PendingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var options = OwnerOnly.Create(FileMode.CreateNew, FileAccess.Write, FileShare.None);
            options.Options = FileOptions.Asynchronous | FileOptions.SequentialScan;
            options.BufferSize = 0; // MediaCopy writes in large pieces already
            // Creating the pending file, or flushing it, on a full disk or a read-only directory is the store's failure too.
            long size;
            var file = MediaCopy.Store(() => new FileStream(pending, options));
            await using (file.ConfigureAwait(false))
            {
                size = await MediaCopy.CopyAsync(body, file, limit, cancellationToken).ConfigureAwait(false);
                MediaCopy.Store(() =>
                {
                    file.Flush(flushToDisk: true);
                    return true;
                });
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

        var pending = Path.Combine(_directory, PendingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            MediaCopy.Store(() =>
            {
                using (var file = new FileStream(pending, OwnerOnly.Create(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
                {
                    content.CopyTo(file);
                    file.Flush(flushToDisk: true);
                }

                File.Move(pending, Path.Combine(_directory, sid), overwrite: true);
                return true;
            });
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
            File.Move(path, Path.Combine(owner._directory, sid));
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
