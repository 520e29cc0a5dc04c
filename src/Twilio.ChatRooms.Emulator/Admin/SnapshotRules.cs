using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>
/// Named snapshots of the whole state (roles, users, conversations, participants, messages, media files, webhook
/// settings, SMS texts; not the credentials, nor webhooks still to deliver): taken as one consistent read, so writers
/// wait only while the records are listed and the media files opened, never while anything is copied; restored as one
/// write that leaves the state exactly as it was, which connected clients see as the changes it makes.
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
    /// (parents first), raising the events each change would raise if made one by one, so clients follow.
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
                    Put(s.Roles, role, s.Roles.Find(role.Sid));
                    break;
                case UserRecord user:
                    users++;
                    s.Raise(Put(s.Users, user, s.Users.Find(user.Sid)) ? new UserAdded(user) : new UserUpdated(user));
                    break;
                case ConversationRecord conversation:
                    conversations++;
                    s.Raise(Put(s.Conversations, conversation, s.Conversations.Find(conversation.Sid))
                        ? new ConversationAdded(conversation)
                        : new ConversationUpdated(conversation));
                    break;
                case ParticipantRecord participant:
                    participants++;
                    s.Raise(Put(s.Participants, participant, s.Participants.Find(participant.Sid))
                        ? new ParticipantAdded(participant, s.Conversations.Find(participant.ConversationSid)!)
                        : new ParticipantUpdated(participant));
                    break;
                case MessageRecord message:
                    messages++;
                    var log = s.Messages.In(message.ConversationSid);
                    if (log.FindBySid(message.Sid) is null)
                    {
                        s.Messages.Add(message);
                        if (existed.Contains(message.ConversationSid))
                        {
                            s.Raise(new MessageAdded(message));
                        }
                    }
                    else
                    {
                        s.Messages.Replace(message);
                        s.Raise(new MessageUpdated(message));
                    }

                    break;
                case MediaRecord file:
                    Put(s.Media, file, s.Media.Find(file.Sid));
                    break;
                case WebhookConfigRecord config:
                    Put(s.WebhookConfigs, config, s.WebhookConfigs.Find(config.Sid));
                    break;
                case ConversationWebhookRecord webhook:
                    Put(s.Webhooks, webhook, s.Webhooks.Find(webhook.Sid));
                    break;
                case SmsRecord sms:
                    s.Outbox.Add(sms);
                    break;
            }
        }

        return new StateCounts(records.Count(r => r is RoleRecord), users, conversations, participants, messages);
    }

    /// <summary>Adds <paramref name="record"/> or replaces <paramref name="current"/> with it; true when added.</summary>
    private static bool Put<T>(Table<T> table, T record, T? current)
        where T : class, IRecord
    {
        if (current is null)
        {
            table.Add(record);
            return true;
        }

        table.Replace(record);
        return false;
    }
}
