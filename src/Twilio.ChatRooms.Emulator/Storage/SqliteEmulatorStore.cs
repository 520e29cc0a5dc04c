using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Twilio.ChatRooms.Emulator.Domain;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// Keeps the state in memory as the read model and appends every committed write to a SQLite database (WAL,
/// synchronous=FULL) inside the same lock, before the write returns; the database is loaded back when opened.
/// </summary>
internal sealed class SqliteEmulatorStore : IEmulatorStore, IDisposable
{
    public const string FileName = "conversations-emulator.db";

    private readonly Lock _gate = new();
    private readonly EmulatorState _state = new();
    private readonly SqliteConnection _connection;
    private bool _disposed;

    private SqliteEmulatorStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens (or creates) <c>{directory}/conversations-emulator.db</c> and loads its state.</summary>
    public static SqliteEmulatorStore Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=FULL;");
            Execute(connection, "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, sid TEXT NOT NULL, parent TEXT, json TEXT NOT NULL, PRIMARY KEY (kind, sid));");
            Execute(connection, "CREATE INDEX IF NOT EXISTS records_parent ON records (kind, parent);");
            Execute(connection, "CREATE TABLE IF NOT EXISTS sms_outbox (sid TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL);");
            var store = new SqliteEmulatorStore(connection);
            store.Load();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public T Read<T>(Func<EmulatorState, T> read)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return read(_state);
        }
    }

    public T Write<T>(Func<EmulatorState, T> write)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var changes = new List<StateChange>();
            _state.Changes = changes;
            try
            {
                return write(_state);
            }
            finally
            {
                _state.Changes = null;

                // Whatever changed in memory (even before an exception) is made durable before anyone sees the result.
                if (changes.Count > 0)
                {
                    Persist(changes);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private void Persist(List<StateChange> changes)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO records (kind, sid, parent, json) VALUES ($kind, $sid, $parent, $json) "
            + "ON CONFLICT (kind, sid) DO UPDATE SET parent = excluded.parent, json = excluded.json;";
        var kind = upsert.Parameters.Add("$kind", SqliteType.Text);
        var sid = upsert.Parameters.Add("$sid", SqliteType.Text);
        var parent = upsert.Parameters.Add("$parent", SqliteType.Text);
        var json = upsert.Parameters.Add("$json", SqliteType.Text);

        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM records WHERE kind = $kind AND sid = $sid;";
        var deleteKind = delete.Parameters.Add("$kind", SqliteType.Text);
        var deleteSid = delete.Parameters.Add("$sid", SqliteType.Text);

        using var deleteMessages = _connection.CreateCommand();
        deleteMessages.Transaction = transaction;
        deleteMessages.CommandText = "DELETE FROM records WHERE kind = 'message' AND parent = $parent;";
        var messagesParent = deleteMessages.Parameters.Add("$parent", SqliteType.Text);

        using var send = _connection.CreateCommand();
        send.Transaction = transaction;
        send.CommandText = "INSERT INTO sms_outbox (sid, json) VALUES ($sid, $json);";
        var sendSid = send.Parameters.Add("$sid", SqliteType.Text);
        var sendJson = send.Parameters.Add("$json", SqliteType.Text);

        foreach (var change in changes)
        {
            if (change.Value is SmsRecord sms)
            {
                sendSid.Value = sms.Sid;
                sendJson.Value = JsonSerializer.Serialize(sms, StoreJsonContext.Default.SmsRecord);
                send.ExecuteNonQuery();
                continue;
            }

            if (change.Value is null)
            {
                deleteKind.Value = change.Kind;
                deleteSid.Value = change.Sid;
                delete.ExecuteNonQuery();
                if (change.Kind == EmulatorState.ConversationKind)
                {
                    messagesParent.Value = change.Sid;
                    deleteMessages.ExecuteNonQuery();
                }

                continue;
            }

            kind.Value = change.Kind;
            sid.Value = change.Sid;
            parent.Value = change.Value is MessageRecord message ? message.ConversationSid : DBNull.Value;
            json.Value = Serialize(change.Value);
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private void Load()
    {
        var messages = new List<MessageRecord>();
        using (var select = _connection.CreateCommand())
        {
            select.CommandText = "SELECT kind, json FROM records ORDER BY rowid;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var json = reader.GetString(1);
                switch (reader.GetString(0))
                {
                    case EmulatorState.ServiceKind:
                        var service = Deserialize(json, StoreJsonContext.Default.ServiceRecord);
                        _state.Services.Add(service.Sid, service);
                        break;
                    case EmulatorState.RoleKind:
                        var role = Deserialize(json, StoreJsonContext.Default.RoleRecord);
                        _state.Roles.Add(role.Sid, role);
                        _state.RestoreSeq(role.Seq);
                        break;
                    case EmulatorState.UserKind:
                        var user = Deserialize(json, StoreJsonContext.Default.UserRecord);
                        _state.Users.Add(user.Sid, user);
                        _state.RestoreSeq(user.Seq);
                        break;
                    case EmulatorState.ConversationKind:
                        var conversation = Deserialize(json, StoreJsonContext.Default.ConversationRecord);
                        _state.Conversations.Add(conversation.Sid, conversation);
                        _state.Messages.Add(conversation.Sid, _state.NewMessageList());
                        _state.RestoreSeq(conversation.Seq);
                        break;
                    case EmulatorState.ParticipantKind:
                        var participant = Deserialize(json, StoreJsonContext.Default.ParticipantRecord);
                        _state.Participants.Add(participant.Sid, participant);
                        _state.RestoreSeq(participant.Seq);
                        break;
                    case EmulatorState.MessageKind:
                        messages.Add(Deserialize(json, StoreJsonContext.Default.MessageRecord));
                        break;
                    default:
                        break;
                }
            }
        }

        foreach (var message in messages)
        {
            if (_state.Messages.TryGetValue(message.ConversationSid, out var list))
            {
                list.Add(message.Index, message);
            }
        }

        using var outbox = _connection.CreateCommand();
        outbox.CommandText = "SELECT json FROM sms_outbox ORDER BY rowid;";
        using var sent = outbox.ExecuteReader();
        while (sent.Read())
        {
            _state.AddToOutbox(Deserialize(sent.GetString(0), StoreJsonContext.Default.SmsRecord));
        }
    }

    private static string Serialize(object value) => value switch
    {
        ServiceRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ServiceRecord),
        RoleRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.RoleRecord),
        UserRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.UserRecord),
        ConversationRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ConversationRecord),
        ParticipantRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.ParticipantRecord),
        MessageRecord r => JsonSerializer.Serialize(r, StoreJsonContext.Default.MessageRecord),
        _ => throw new InvalidOperationException($"Cannot store a {value.GetType().Name}"),
    };

    private static T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("A stored record is null");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

[JsonSerializable(typeof(ServiceRecord))]
[JsonSerializable(typeof(RoleRecord))]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(ConversationRecord))]
[JsonSerializable(typeof(ParticipantRecord))]
[JsonSerializable(typeof(MessageRecord))]
[JsonSerializable(typeof(SmsRecord))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
