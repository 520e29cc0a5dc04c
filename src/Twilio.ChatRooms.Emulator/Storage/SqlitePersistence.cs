using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// Keeps the state in <c>{DataDirectory}/conversations-emulator.db</c> (SQLite, WAL, synchronous=FULL): every write is
/// committed in one transaction before it is acknowledged. Opening locks the directory, then checks and loads the whole
/// database before it writes anything (so a database it refuses is left as it was), then migrates it.
/// </summary>
internal sealed class SqlitePersistence : IStatePersistence
{
    public const string FileName = "conversations-emulator.db";

    private readonly DataDirectoryLock _lock;
    private readonly SqliteConnection _connection;
    private readonly string _file;
    private readonly int _version;
    private readonly ILogger _logger;
    private string? _lastFailure;

    private SqlitePersistence(DataDirectoryLock directoryLock, SqliteConnection connection, string file, int version, ILogger logger)
    {
        _lock = directoryLock;
        _connection = connection;
        _file = file;
        _version = version;
        _logger = logger;
    }

    /// <summary>Locks <paramref name="directory"/> (created when missing) and checks its database; throws <see cref="EmulatorStorageException"/>.</summary>
    public static SqlitePersistence Open(string directory, ILogger logger)
    {
        directory = Path.GetFullPath(directory);
        if (File.Exists(directory))
        {
            throw new EmulatorStorageException($"The emulator's data directory {directory} is a file, not a directory.", directory);
        }

        try
        {
            OwnerOnly.Directory(directory);   // 0700, and every file in it 0600, the database's side files too
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulatorStorageException($"The emulator cannot create its data directory {directory}: {e.Message}", directory, e);
        }

        var directoryLock = DataDirectoryLock.Acquire(directory);
        var file = Path.Combine(directory, FileName);
        try
        {
            OwnerOnly.File(file);   // before SQLite makes it (0644), so its -wal and -shm are 0600 too
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            directoryLock.Dispose();
            throw Unusable(file, e);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            var version = SqliteSchema.Inspect(connection);
            return new SqlitePersistence(directoryLock, connection, file, version, logger);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            connection.Dispose();
            directoryLock.Dispose();
            throw Unusable(file, e);
        }
    }

    public void Load(EmulatorState state)
    {
        var count = 0;
        try
        {
            if (_version > 0)
            {
                count = LoadRecords(state);
            }

            // Only now, with every record read and checked, is the file written: migration, then WAL.
            SqliteSchema.Upgrade(_connection, _version);
            if (_version > 0 && _version < SqliteSchema.Current)
            {
                Log.StorageMigrated(_logger, _file, _version, SqliteSchema.Current);
            }

            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=FULL;");
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            throw Unusable(_file, e);
        }

        Log.StorageOpened(_logger, _file, count, SqliteSchema.Current);
    }

    public void Commit(IReadOnlyList<StateChange> changes)
    {
        try
        {
            Write(changes);
            _lastFailure = null;
        }
        catch (Exception e)
        {
            _lastFailure = e.Message;
            throw;
        }
    }

    /// <summary>A small write now: null when it was made durable (and no real write failed since the last that worked).</summary>
    public string? Probe()
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO meta (key, value) VALUES ('probe', $now) ON CONFLICT (key) DO UPDATE SET value = excluded.value;";
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            return $"{_file}: {e.Message}";
        }

        return _lastFailure is null ? null : $"{_file}: the last write failed: {_lastFailure}";
    }

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
    }

    private static EmulatorStorageException Unusable(string file, Exception e) =>
        new($"The emulator cannot use its database {file}: {e.Message.TrimEnd('.')}. The file was left as it was; move it away to start afresh.", file, e);

    private int LoadRecords(EmulatorState state)
    {
        var count = 0;
        using (var select = _connection.CreateCommand())
        {
            var order = string.Join(" ", StoredRecords.LoadOrder.Select((kind, i) => $"WHEN '{kind}' THEN {i}"));
            select.CommandText = $"SELECT rowid, kind, sid, parent, json FROM records ORDER BY CASE kind {order} ELSE 99 END, rowid;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var kind = reader.GetString(1);
                var sid = reader.GetString(2);
                Restore(state, $"row {reader.GetInt64(0)} of records ({kind} {sid})",
                    () => StoredRecords.Read(kind, sid, reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4)));
                count++;
            }
        }

        using var outbox = _connection.CreateCommand();
        outbox.CommandText = "SELECT rowid, sid, json FROM sms_outbox ORDER BY rowid;";
        using var sent = outbox.ExecuteReader();
        while (sent.Read())
        {
            var sid = sent.GetString(1);
            Restore(state, $"row {sent.GetInt64(0)} of sms_outbox ({sid})", () => StoredRecords.Read(EmulatorState.SmsKind, sid, null, sent.GetString(2)));
            count++;
        }

        return count;
    }

    private static void Restore(EmulatorState state, string where, Func<IRecord> read)
    {
        try
        {
            state.Restore(read());
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or ArgumentException)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
    }

    private void Write(IReadOnlyList<StateChange> changes)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = Command(transaction, "INSERT INTO records (kind, sid, parent, json) VALUES ($kind, $sid, $parent, $json) "
            + "ON CONFLICT (kind, sid) DO UPDATE SET parent = excluded.parent, json = excluded.json;");
        using var delete = Command(transaction, "DELETE FROM records WHERE kind = $kind AND sid = $sid;");
        using var send = Command(transaction, "INSERT INTO sms_outbox (sid, json) VALUES ($sid, $json);");
        using var unsend = Command(transaction, "DELETE FROM sms_outbox WHERE sid = $sid;");
        foreach (var change in changes)
        {
            switch (change)
            {
                case { New: SmsRecord sms }:
                    Run(send, ("$sid", sms.Sid), ("$json", StoredRecords.Serialize(sms)));
                    break;
                case { Old: SmsRecord forgotten, New: null }:
                    Run(unsend, ("$sid", forgotten.Sid));
                    break;
                case { New: null }:
                    Run(delete, ("$kind", change.Kind), ("$sid", change.Sid));
                    break;
                case { New: { } record }:
                    Run(upsert, ("$kind", change.Kind), ("$sid", change.Sid), ("$parent", (object?)StoredRecords.Parent(record) ?? DBNull.Value),
                        ("$json", StoredRecords.Serialize(record)));
                    break;
            }
        }

        transaction.Commit();
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Run(SqliteCommand command, params (string Name, object Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
