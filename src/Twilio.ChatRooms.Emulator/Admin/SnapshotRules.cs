using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>
/// Named snapshots of the whole state (roles, users, conversations, participants, messages, media files, webhook
/// settings, SMS texts; not the credentials, nor webhooks still to deliver): taken as one consistent read, so writers
/// wait only while the records are listed and the media files opened, never while anything is copied; restored as one
/// write that leaves the state exactly as it was, which connected clients see as the changes it makes (and only those).
/// </summary>
internal sealed partial class SnapshotRules(EmulatorStore store, IMediaContent media, ISnapshotStore snapshots, TimeProvider time,
    ILogger<SnapshotRules> logger)
{
    /// <summary>Takes a snapshot; 400 for a name that is not a plain file name, 409 when it exists and is not to be replaced.</summary>
    public SnapshotInfo Take(string? name, bool replace = false)
    {
        var taken = time.GetUtcNow();
        name = string.IsNullOrEmpty(name) ? $"snapshot-{taken:yyyyMMdd-HHmmss}" : Checked(name);
        var (records, files) = store.Read(s =>
        {
            var records = s.Records();

            // Opened now, inside the read: a file deleted once the read ends stays readable through its open stream.
            List<SnapshotFile> files = [];
            foreach (var file in s.Media.Values)
            {
                if (media.Open(file.Sid) is { } content)
                {
                    files.Add(new SnapshotFile(file.Sid, content));
                }
            }

            return (records, files);
        });
        try
        {
            var info = snapshots.Save(name, taken, records, files, replace);
            Log.SnapshotTaken(logger, name, info.Records, info.MediaFiles);
            return info;
        }
        finally
        {
            foreach (var file in files)
            {
                file.Content.Dispose();
            }
        }
    }

    /// <summary>Puts the state back as the snapshot holds it; 404 when there is none of that name.</summary>
    public StateCounts Restore(string name)
    {
        var snapshot = snapshots.Load(Checked(name)) ?? throw SnapshotErrors.NotFound(name);
        Check(snapshot);

        // The bytes first, so no restored record ever names a file that is not there; a file a removal deletes in the
        // write (a message the snapshot lacks that held it) is put back after it.
        var files = snapshot.Records.OfType<MediaRecord>().ToList();
        PutMissing(snapshot, files);
        using var writes = WriteOrigin.Use(null);   // the emulator's own tool: no webhook
        var counts = store.Write(s => Replace(s, snapshot.Records));
        PutMissing(snapshot, files);
        Log.SnapshotRestored(logger, name, counts.Conversations, counts.Users, counts.Messages);
        return counts;
    }

    public IReadOnlyList<SnapshotInfo> List() => snapshots.List();

    /// <summary>Deletes a snapshot; 404 when there is none of that name.</summary>
    public void Delete(string name)
    {
        if (!snapshots.Delete(Checked(name)))
        {
            throw SnapshotErrors.NotFound(name);
        }
    }

    /// <summary>A name is a plain file name: letters, digits, dot, dash and underscore, not starting with a dot.</summary>
    private static string Checked(string name) => SnapshotName().IsMatch(name)
        ? name
        : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter,
            $"Name '{name}' is not a snapshot name: 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SnapshotName();

    /// <summary>The snapshot must load on its own (parents before children, keys unique) and be of this emulator's services.</summary>
    private void Check(SnapshotContent snapshot)
    {
        var scratch = new EmulatorState();
        try
        {
            foreach (var record in snapshot.Records)
            {
                scratch.Restore(record);
            }
        }
        catch (InvalidDataException e)
        {
            throw TwilioErrors.StoreFailed($"snapshot '{snapshot.Info.Name}' does not hold a whole state: {e.Message}");
        }

        var ours = store.Read(s => s.Services.Values.Select(v => v.Sid).Order(StringComparer.Ordinal).ToList());
        var theirs = scratch.Services.Values.Select(v => v.Sid).Order(StringComparer.Ordinal).ToList();
        if (!ours.SequenceEqual(theirs))
        {
            throw TwilioErrors.Conflict(TwilioErrors.InvalidParameter,
                $"Snapshot '{snapshot.Info.Name}' was taken of another emulator's service ({string.Join(", ", theirs)}), not of {string.Join(", ", ours)}");
        }
    }

    private void PutMissing(SnapshotContent snapshot, List<MediaRecord> files)
    {
        foreach (var file in files)
        {
            using var present = media.Open(file.Sid);
            if (present is null && snapshot.OpenMedia(file.Sid) is { } content)
            {
                using (content)
                {
                    media.Put(file.Sid, content);
                }
            }
        }
    }

    /// <summary>
    /// Makes the state the snapshot's: first removes what it lacks (children first), then adds or replaces what it holds
    /// (parents first), raising the events each change would raise if made one by one, so clients follow; a record the
    /// snapshot holds as it is now is left alone and raises nothing.
    /// </summary>
    private static StateCounts Replace(EmulatorState s, IReadOnlyList<IRecord> records)
    {
        var wanted = records.Where(r => r is not SmsRecord).ToDictionary(r => r.Sid, StringComparer.Ordinal);
        bool Kept(IRecord r) => wanted.ContainsKey(r.Sid);

        foreach (var webhook in s.Webhooks.Values.Where(w => !Kept(w)).ToList())
        {
            s.Webhooks.Remove(webhook);
        }

        foreach (var file in s.Media.Values.Where(m => !Kept(m)).ToList())
        {
            s.Media.Delete(file);
        }

        foreach (var conversation in s.Conversations.Values.OrderBy(c => c.Seq).ToList())
        {
            var kept = Kept(conversation);
            foreach (var message in s.Messages.In(conversation.Sid).Where(m => !Kept(m)).ToList())
            {
                s.Messages.Remove(message);
                if (kept)
                {
                    s.Raise(new MessageRemoved(message));
                }
            }

            var gone = s.Participants.In(conversation.Sid).Where(p => !Kept(p)).ToList();
            foreach (var participant in gone)
            {
                s.Participants.Remove(participant);
                if (kept)
                {
                    s.Raise(new ParticipantRemoved(participant, conversation));
                }
            }

            if (!kept)
            {
                s.Conversations.Remove(conversation);
                s.Raise(new ConversationRemoved(conversation, gone));
            }
        }

        foreach (var user in s.Users.Values.Where(u => !Kept(u)).ToList())
        {
            s.Users.Remove(user);
        }

        foreach (var role in s.Roles.Values.Where(r => !Kept(r)).ToList())
        {
            s.Roles.Remove(role);
        }

        foreach (var config in s.WebhookConfigs.Values.Where(c => !Kept(c)).ToList())
        {
            s.WebhookConfigs.Remove(config);
        }

        s.Outbox.Clear();

        var existed = new HashSet<string>(s.Conversations.Values.Select(c => c.Sid), StringComparer.Ordinal);
        int users = 0, conversations = 0, participants = 0, messages = 0;
        foreach (var record in records)
        {
            s.AdvanceSeq(EmulatorState.SeqOf(record));
            switch (record)
            {
                case ServiceRecord service:
                    s.Services.Replace(service);
                    break;
                case RoleRecord role:
                    Put(s.Roles, role);
                    break;
                case UserRecord user:
                    users++;
                    Raise(s, Put(s.Users, user), () => new UserAdded(user), () => new UserUpdated(user));
                    break;
                case ConversationRecord conversation:
                    conversations++;
                    Raise(s, Put(s.Conversations, conversation), () => new ConversationAdded(conversation),
                        () => new ConversationUpdated(conversation));
                    break;
                case ParticipantRecord participant:
                    participants++;
                    Raise(s, Put(s.Participants, participant),
                        () => new ParticipantAdded(participant, s.Conversations.Find(participant.ConversationSid)!),
                        () => new ParticipantUpdated(participant));
                    break;
                case MessageRecord message:
                    messages++;
                    var current = s.Messages.In(message.ConversationSid).FindBySid(message.Sid);
                    if (current is null)
                    {
                        s.Messages.Add(message);
                        if (existed.Contains(message.ConversationSid))
                        {
                            s.Raise(new MessageAdded(message));
                        }
                    }
                    else if (!Same(current, message))
                    {
                        s.Messages.Replace(message);
                        s.Raise(new MessageUpdated(message));
                    }

                    break;
                case MediaRecord file:
                    Put(s.Media, file);
                    break;
                case WebhookConfigRecord config:
                    Put(s.WebhookConfigs, config);
                    break;
                case ConversationWebhookRecord webhook:
                    Put(s.Webhooks, webhook);
                    break;
                case SmsRecord sms:
                    s.Outbox.Add(sms);
                    break;
            }
        }

        return new StateCounts(records.Count(r => r is RoleRecord), users, conversations, participants, messages);
    }

    private enum Change
    {
        None,
        Added,
        Replaced,
    }

    /// <summary>Adds <paramref name="record"/>, or replaces the record of its SID when that differs; what it did.</summary>
    private static Change Put<T>(Table<T> table, T record)
        where T : class, IRecord
    {
        var current = table.Find(record.Sid);
        if (current is null)
        {
            table.Add(record);
            return Change.Added;
        }

        if (Same(current, record))
        {
            return Change.None;
        }

        table.Replace(record);
        return Change.Replaced;
    }

    private static void Raise(EmulatorState s, Change change, Func<EmulatorEvent> added, Func<EmulatorEvent> updated)
    {
        if (change != Change.None)
        {
            s.Raise(change == Change.Added ? added() : updated());
        }
    }

    /// <summary>
    /// Whether two versions of a record hold the same values. A record's own equality compares its lists by reference,
    /// and the snapshot's were read from a file, so those are compared item by item.
    /// </summary>
    private static bool Same(IRecord current, IRecord record) => (current, record) switch
    {
        (RoleRecord a, RoleRecord b) => a with { Permissions = b.Permissions } == b && a.Permissions.SequenceEqual(b.Permissions),
        (MessageRecord a, MessageRecord b) => a with { Media = b.Media } == b
            && (a.Media is null ? b.Media is null : b.Media is not null && a.Media.SequenceEqual(b.Media)),
        (WebhookConfigRecord a, WebhookConfigRecord b) => a with { Filters = b.Filters } == b && a.Filters.SequenceEqual(b.Filters),
        (ConversationWebhookRecord a, ConversationWebhookRecord b) => a with { Filters = b.Filters } == b && a.Filters.SequenceEqual(b.Filters),
        _ => current.Equals(record),
    };
}
