using System.Buffers;
using System.Collections.Concurrent;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// Where the media service keeps the bytes of its files, apart from their records: files in the data directory, or
/// memory (<c>--in-memory</c>). A file arrives in two steps, so its record is committed only once its bytes are whole
/// and durable: <see cref="ReceiveAsync"/> reads the upload into a pending file, then <see cref="PendingContent.Keep"/>
/// gives it its SID.
/// </summary>
internal interface IMediaContent
{
    /// <summary>
    /// Reads <paramref name="body"/> to its end, streamed, into a pending file of at most <paramref name="limit"/> bytes
    /// (413/50512 beyond, nothing kept), durable when this returns. A write the disk refuses is 503, nothing kept.
    /// </summary>
    Task<PendingContent> ReceiveAsync(Stream body, long limit, CancellationToken cancellationToken);

    /// <summary>The bytes of the file <paramref name="sid"/>, seekable; null when there is none.</summary>
    Stream? Open(string sid);

    /// <summary>Deletes the bytes of <paramref name="sid"/>, if any.</summary>
    void Delete(string sid);

    /// <summary>Makes <paramref name="content"/> (read to its end) the bytes of <paramref name="sid"/>, durable: a snapshot's file put back.</summary>
    void Put(string sid, Stream content);

    /// <summary>Deletes every pending file and every file <paramref name="kept"/> does not name; returns how many.</summary>
    int Sweep(Func<string, bool> kept);
}

/// <summary>An upload's bytes, whole and durable, not yet any file's: disposed without <see cref="Keep"/>, they go.</summary>
internal abstract class PendingContent(long size) : IDisposable
{
    public long Size => size;

    /// <summary>Makes the bytes the file <paramref name="sid"/>.</summary>
    public abstract void Keep(string sid);

    public abstract void Dispose();
}

/// <summary>The bytes in memory, for an emulator without a data directory.</summary>
internal sealed class MemoryMediaContent : IMediaContent
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public async Task<PendingContent> ReceiveAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await MediaCopy.CopyAsync(body, buffer, limit, cancellationToken).ConfigureAwait(false);
        return new Pending(this, buffer.ToArray());
    }

    public Stream? Open(string sid) => _files.TryGetValue(sid, out var bytes) ? new MemoryStream(bytes, writable: false) : null;

    public void Delete(string sid) => _files.TryRemove(sid, out _);

    public void Put(string sid, Stream content)
    {
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        _files[sid] = copy.ToArray();
    }

    public int Sweep(Func<string, bool> kept)
    {
        var swept = 0;
        foreach (var sid in _files.Keys)
        {
            if (!kept(sid) && _files.TryRemove(sid, out _))
            {
                swept++;
            }
        }

        return swept;
    }

    private sealed class Pending(MemoryMediaContent owner, byte[] bytes) : PendingContent(bytes.Length)
    {
        public override void Keep(string sid) => owner._files[sid] = bytes;

        public override void Dispose()
        {
        }
    }
}

/// <summary>Copies an upload in pieces, never the whole of it in memory, refusing it once it passes the limit.</summary>
internal static class MediaCopy
{
    private const int Piece = 128 * 1024;

    /// <summary>Copies <paramref name="from"/> to its end; returns how many bytes; throws 413/50512 past <paramref name="limit"/>.</summary>
    public static async Task<long> CopyAsync(Stream from, Stream to, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Piece);
        try
        {
            long total = 0;
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(0, Piece), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw TwilioErrors.MediaTooBig(limit);
                }

                await Store(() => to.WriteAsync(buffer.AsMemory(0, read), cancellationToken)).ConfigureAwait(false);
            }

            await Store(() => to.FlushAsync(cancellationToken)).ConfigureAwait(false);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A write the storage refuses (a full disk, a read-only directory) is the store's failure, 503 with nothing kept;
    /// told apart here from a client that stops sending, which fails the read.
    /// </summary>
    public static async ValueTask Store(Func<ValueTask> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TwilioErrors.StoreFailed(e.Message);
        }
    }

    private static ValueTask Store(Func<Task> write) => Store(() => new ValueTask(write()));

    /// <summary>As <see cref="Store(Func{ValueTask})"/>, for a synchronous step (creating or flushing a file).</summary>
    public static T Store<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TwilioErrors.StoreFailed(e.Message);
        }
    }
}
