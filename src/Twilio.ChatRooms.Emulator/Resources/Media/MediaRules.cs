using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Media;

/// <summary>
/// The media service's files (Twilio's Media Content Service): an upload is kept whole and durable before its record is
/// committed; a chat user sees a file they uploaded until a message holds it, then every participant of that message's
/// conversation does (the account sees every file of its services); a message may hold a user's own files that no
/// message holds yet. Files go with their message, and unattached ones after <see cref="TwilioLimits.UnattachedMediaLifetime"/>.
/// </summary>
internal sealed class MediaRules(EmulatorStore store, IMediaContent content, TimeProvider time, ILogger<MediaRules> logger)
{
    /// <summary>The categories a file may have; the SDK sends <c>media</c>, and email bodies and histories the others.</summary>
    private static readonly string[] Categories = ["media", "body", "history"];

    /// <summary>
    /// Keeps an upload as a new file of <paramref name="serviceSid"/> by <paramref name="author"/> (a chat identity, or
    /// <c>system</c> for the account): its bytes whole and durable first, then its record in one write.
    /// </summary>
    public async Task<MediaRecord> UploadAsync(string serviceSid, string author, string? contentType, string? filename, string? category,
        Stream body, CancellationToken cancellationToken)
    {
        var type = ContentType(contentType);
        var kind = string.IsNullOrEmpty(category) ? "media" : category;
        if (!Categories.Contains(kind, StringComparer.Ordinal))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Category must be one of {string.Join(", ", Categories)}");
        }

        if (filename is { Length: > TwilioLimits.MaxFriendlyName })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"Filename is longer than {TwilioLimits.MaxFriendlyName} characters");
        }

        store.Read(s => s.Services.Get(serviceSid));
        Expire();
        using var pending = await content.ReceiveAsync(body, TwilioLimits.MaxMediaSize, cancellationToken).ConfigureAwait(false);
        var sid = TwilioFormat.NewSid("ME");
        pending.Keep(sid);
        try
        {
            var media = store.Write(s =>
            {
                s.Services.Get(serviceSid);
                var created = new MediaRecord(sid, serviceSid, type, InputChecks.EmptyToNull(filename), pending.Size, kind, author, TwilioFormat.Now(time));
                s.Media.Add(created);
                return created;
            });
            Log.Created(logger, "media", sid);
            return media;
        }
        catch
        {
            content.Delete(sid);
            throw;
        }
    }

    /// <summary>The file <paramref name="sid"/> as <paramref name="identity"/> (null: the account) may see it, or 404.</summary>
    public MediaRecord Fetch(string serviceSid, string sid, string? identity) =>
        store.Read(s => Visible(s, serviceSid, sid, identity)) ?? throw TwilioErrors.NotFound($"/Services/{serviceSid}/Media/{sid}");

    /// <summary>The bytes of a file, seekable; 404 when they are gone (the file was deleted meanwhile).</summary>
    public Stream Open(MediaRecord media) =>
        content.Open(media.Sid) ?? throw TwilioErrors.NotFound($"/Services/{media.ServiceSid}/Media/{media.Sid}/Content");

    /// <summary>Deletes the bytes no record names: pending uploads, and files whose record never committed. At start.</summary>
    public int Sweep()
    {
        var kept = store.Read(s => s.Media.Values.Select(m => m.Sid).ToHashSet(StringComparer.Ordinal));
        Expire();
        return content.Sweep(kept.Contains);
    }

    /// <summary>
    /// The files a new message of <paramref name="identity"/> (null: the account) may hold, checked inside its write:
    /// at most <see cref="TwilioLimits.MaxMediaPerMessage"/>, each a well-formed SID (50510) of a file of the service,
    /// the user's own (50507 otherwise, as for none), that no message holds yet (50508).
    /// </summary>
    public static IReadOnlyList<MediaRecord> Claim(EmulatorState s, string serviceSid, string? identity, IReadOnlyList<string> sids)
    {
        if (sids.Count > TwilioLimits.MaxMediaPerMessage)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"A message may hold at most {TwilioLimits.MaxMediaPerMessage} media files");
        }

        var claimed = new List<MediaRecord>(sids.Count);
        foreach (var sid in sids)
        {
            if (!TwilioFormat.IsSid(sid, "ME"))
            {
                throw TwilioErrors.MediaRefused(TwilioErrors.MediaSidInvalid, sid);
            }

            var media = s.Media.Find(sid);
            if (media is null || media.ServiceSid != serviceSid || (identity is not null && media.Author != identity))
            {
                throw TwilioErrors.MediaRefused(TwilioErrors.MediaNotFound, sid);
            }

            if (media.MessageSid is not null || claimed.Contains(media))
            {
                throw TwilioErrors.MediaRefused(TwilioErrors.MediaAlreadySent, sid);
            }

            claimed.Add(media);
        }

        return claimed;
    }

    /// <summary>Gives the claimed files to <paramref name="message"/>, in the same write that adds it.</summary>
    public static void Attach(EmulatorState s, IReadOnlyList<MediaRecord> claimed, MessageRecord message)
    {
        foreach (var media in claimed)
        {
            s.Media.Replace(media with { ConversationSid = message.ConversationSid, MessageSid = message.Sid });
        }
    }

    /// <summary>How a message shows a file it holds.</summary>
    public static MessageMedia Shown(MediaRecord media) => new(media.Sid, media.ContentType, media.Filename, media.Size, media.Category);

    private static MediaRecord? Visible(EmulatorState s, string serviceSid, string sid, string? identity) =>
        s.Media.Find(sid) is not { } media || media.ServiceSid != serviceSid ? null
        : identity is null ? media
        : media.ConversationSid is null ? (media.Author == identity ? media : null)
        : s.Participants.OfIn(media.ConversationSid, identity) is not null ? media : null;

    /// <summary>Deletes the files no message took within their lifetime, in one write (none when there are none).</summary>
    private void Expire()
    {
        var before = TwilioFormat.Now(time) - TwilioLimits.UnattachedMediaLifetime;
        bool Expired(MediaRecord m) => m.MessageSid is null && m.DateCreated < before;
        if (store.Read(s => s.Media.Values.Any(Expired)))
        {
            store.Write(s =>
            {
                foreach (var media in s.Media.Values.Where(Expired).ToList())
                {
                    s.Media.Delete(media);
                }

                return true;
            });
        }
    }

    /// <summary>The upload's content type, as sent (parameters kept); 415/50511 when missing or malformed.</summary>
    private static string ContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } type && type.Contains('/', StringComparison.Ordinal)
            && !type.Contains('*', StringComparison.Ordinal)
            ? parsed.ToString()
            : throw TwilioErrors.MediaTypeRefused(contentType);
}

/// <summary>Deletes a file's bytes once the removal of its record is durable.</summary>
internal sealed class MediaContentCleanup(IMediaContent content) : IChangeListener
{
    public void Committed(EmulatorEvent change)
    {
        if (change is MediaRemoved removed)
        {
            content.Delete(removed.Media.Sid);
        }
    }
}
