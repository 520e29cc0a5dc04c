using Microsoft.Data.Sqlite;

namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>
/// The database's layout and its versions, kept in <c>PRAGMA user_version</c>. Version 1 is the layout written before
/// versions were recorded (user_version 0 with the <c>records</c> and <c>sms_outbox</c> tables); version 2 adds
/// <c>meta</c>. An older version is migrated in one transaction; a newer one is refused.
/// </summary>
internal static class SqliteSchema
{
    public const int Current = 2;

    private const int Unversioned = 1;

    private static readonly Dictionary<string, string[]> Tables = new(StringComparer.Ordinal)
    {
        ["records"] = ["kind", "sid", "parent", "json"],
        ["sms_outbox"] = ["sid", "json"],
        ["meta"] = ["key", "value"],
    };

    private static readonly string[] CreateV1 =
    [
        "CREATE TABLE records (kind TEXT NOT NULL, sid TEXT NOT NULL, parent TEXT, json TEXT NOT NULL, PRIMARY KEY (kind, sid));",
        "CREATE INDEX records_parent ON records (kind, parent);",
        "CREATE TABLE sms_outbox (sid TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL);",
    ];

    private static readonly string[] V1ToV2 = ["CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT);"];

    /// <summary>
    /// Reads, without writing, which version the database has: 0 for a new (empty) one. Throws
    /// <see cref="InvalidDataException"/> for a damaged database, a newer version or tables and columns not of its version.
    /// </summary>
    public static int Inspect(SqliteConnection connection)
    {
        var check = Scalar(connection, "PRAGMA quick_check;");
        if (check is not "ok")
        {
            throw new InvalidDataException($"the database is damaged ({check})");
        }

        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (version > Current)
        {
            throw new InvalidDataException($"it has schema version {version}, written by a newer emulator; this one reads versions up to {Current}");
        }

        if (version == 0)
        {
            if (tables.Count == 0)
            {
                return 0;
            }

            version = Unversioned;
        }

        var expected = version == Unversioned ? new[] { "records", "sms_outbox" } : [.. Tables.Keys];
        var unexpected = tables.Except(expected, StringComparer.Ordinal).ToList();
        var missing = expected.Except(tables, StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0 || missing.Count > 0)
        {
            throw new InvalidDataException($"it is not an emulator database of schema version {version}: "
                + string.Join("; ", [.. missing.Select(t => $"table {t} is missing"), .. unexpected.Select(t => $"table {t} is unexpected")]));
        }

        foreach (var table in expected)
        {
            var columns = Columns(connection, table);
            if (!columns.Order(StringComparer.Ordinal).SequenceEqual(Tables[table].Order(StringComparer.Ordinal)))
            {
                throw new InvalidDataException($"table {table} has the columns ({string.Join(", ", columns)}) instead of ({string.Join(", ", Tables[table])})");
            }
        }

        return version;
    }

    /// <summary>Brings a database of <paramref name="version"/> (0: new) to <see cref="Current"/>, in one transaction.</summary>
    public static void Upgrade(SqliteConnection connection, int version)
    {
        if (version == Current)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        var steps = version == 0 ? [.. CreateV1, .. V1ToV2] : V1ToV2;
        foreach (var sql in steps.Append($"PRAGMA user_version = {Current};"))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}');";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
