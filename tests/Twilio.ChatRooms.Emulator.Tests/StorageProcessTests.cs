using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>A data directory is one process's, and a database the emulator cannot use stops it before it listens, untouched.</summary>
public sealed class StorageProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "emulator-storage-" + Guid.NewGuid().ToString("N"));

    private string Database => Path.Combine(_directory, "conversations-emulator.db");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        else if (File.Exists(_directory))
        {
            File.Delete(_directory);
        }
    }

    [Fact]
    public async Task SecondProcess_OnAHeldDataDirectory_IsRefusedBeforeItListens_AndTheFirstIsUnaffected()
    {
        var (first, address) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            using var http = EmulatorClients.Raw(address, EmulatorClients.CredentialsIn(_directory));
            await PostAsync(http, "v1/Conversations", ("UniqueName", "before"));

            var (exitCode, output, error) = await EmulatorProcess.RunToExitAsync(_directory, Ct);

            exitCode.Should().Be(Program.StorageRefusedExitCode);
            output.Should().BeEmpty("the second process never listened");
            error.Should().Contain(Path.GetFullPath(_directory)).And.Contain("held by another process");
            await PostAsync(http, "v1/Conversations", ("UniqueName", "after"));
            (await http.GetFromJsonAsync<JsonElement>("v1/Conversations/before", Ct)).GetProperty("unique_name").GetString().Should().Be("before");
        }
        finally
        {
            EmulatorProcess.Kill(first);
            first.Dispose();
        }

        // The lock died with the killed process: the next start is not blocked, and has what the first acknowledged.
        var (next, nextAddress) = await EmulatorProcess.StartListeningAsync(_directory, Ct);
        try
        {
            using var again = EmulatorClients.Raw(nextAddress, EmulatorClients.CredentialsIn(_directory));
            var names = (await again.GetFromJsonAsync<JsonElement>("v1/Conversations", Ct)).GetProperty("conversations")
                .EnumerateArray().Select(c => c.GetProperty("unique_name").GetString());
            names.Should().Equal("before", "after");
        }
        finally
        {
            EmulatorProcess.Kill(next);
            next.Dispose();
        }
    }

    [Fact]
    public async Task Start_WithGarbageForADatabase_IsRefusedNamingTheFile_AndLeavesItUntouched()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Database, "this is not a database, it is a shopping list: eggs, milk" + new string('x', 5000), Ct);

        await AssertRefusedAsync("file is not a database");
    }

    [Fact]
    public async Task Start_WithATruncatedDatabase_IsRefusedNamingTheFile_AndLeavesItUntouched()
    {
        await WriteSomeStateAsync(messages: 400);
        await using (var file = new FileStream(Database, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        await AssertRefusedAsync("malformed");
    }

    [Fact]
    public async Task Start_WithARenamedColumn_IsRefusedNamingTheColumns()
    {
        await WriteSomeStateAsync();
        Sql("ALTER TABLE records RENAME COLUMN json TO body;");

        await AssertRefusedAsync("table records has the columns");
    }

    [Fact]
    public async Task Start_WithABadJsonRow_IsRefusedNamingTheRow()
    {
        await WriteSomeStateAsync();
        Sql("UPDATE records SET json = '{\"Sid\": ' WHERE kind = 'conversation';");

        await AssertRefusedAsync("of records (conversation CH");
    }

    [Fact]
    public async Task Start_WithARecordMissingAField_IsRefusedNamingTheRow()
    {
        await WriteSomeStateAsync();
        Sql("UPDATE records SET json = json_remove(json, '$.Identity') WHERE kind = 'user';");

        await AssertRefusedAsync("(user US");
    }

    [Fact]
    public async Task Start_WithAnUnknownRecordKind_IsRefused()
    {
        await WriteSomeStateAsync();
        Sql("INSERT INTO records (kind, sid, parent, json) VALUES ('bookmark', 'BM1', NULL, '{}');");

        await AssertRefusedAsync("unknown record kind 'bookmark'");
    }

    [Fact]
    public async Task Start_WithOneIdentityHeldByTwoUsers_IsRefusedNamingBoth()
    {
        // What two processes on one directory used to leave behind: every later start aborted on a duplicate key.
        await WriteSomeStateAsync();
        var twin = "US" + new string('f', 32);
        Sql($"INSERT INTO records (kind, sid, parent, json) SELECT kind, '{twin}', parent, json_set(json, '$.Sid', '{twin}') FROM records WHERE kind = 'user';");

        await AssertRefusedAsync($"and {twin} have one identity, alice");
    }

    [Fact]
    public async Task Start_WithANewerSchemaVersion_IsRefused()
    {
        await WriteSomeStateAsync();
        Sql("PRAGMA user_version = 99;");

        await AssertRefusedAsync("schema version 99, written by a newer emulator");
    }

    [Fact]
    public async Task Start_WithAnExtraTable_IsRefused()
    {
        await WriteSomeStateAsync();
        Sql("CREATE TABLE surprise (x);");

        await AssertRefusedAsync("table surprise is unexpected");
    }

    [Fact]
    public async Task Start_WithADataDirectoryThatIsAFile_IsRefused()
    {
        await File.WriteAllTextAsync(_directory, "a file where the directory should be", Ct);

        var (exitCode, output, error) = await EmulatorProcess.RunToExitAsync(_directory, Ct);

        exitCode.Should().Be(Program.StorageRefusedExitCode);
        output.Should().BeEmpty();
        error.Should().Contain(Path.GetFullPath(_directory)).And.Contain("is a file, not a directory");
        (await File.ReadAllTextAsync(_directory, Ct)).Should().Be("a file where the directory should be");
    }

    [Fact]
    public async Task Start_OnAnUnversionedDatabase_MigratesItAndKeepsItsRecords()
    {
        Directory.CreateDirectory(_directory);
        var serviceSid = "IS" + new string('a', 32);
        var roleSid = "RL" + new string('b', 32);
        Sql("CREATE TABLE records (kind TEXT NOT NULL, sid TEXT NOT NULL, parent TEXT, json TEXT NOT NULL, PRIMARY KEY (kind, sid));",
            "CREATE INDEX records_parent ON records (kind, parent);",
            "CREATE TABLE sms_outbox (sid TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL);",
            // As the emulator wrote them before schema versions: the default roles before their service.
            $$"""INSERT INTO records VALUES ('role', '{{roleSid}}', NULL, '{"Seq":1,"Sid":"{{roleSid}}","ServiceSid":"{{serviceSid}}","FriendlyName":"everything","Type":"service","Permissions":["joinConversation"],"DateCreated":"2026-11-01T00:00:00+00:00","DateUpdated":"2026-11-01T00:00:00+00:00"}');""",
            $$"""INSERT INTO records VALUES ('service', '{{serviceSid}}', NULL, '{"Sid":"{{serviceSid}}","FriendlyName":"Old","DateCreated":"2026-11-01T00:00:00+00:00","DefaultServiceRoleSid":"{{roleSid}}","DefaultConversationRoleSid":"{{roleSid}}","DefaultConversationCreatorRoleSid":"{{roleSid}}"}');""");

        await using (var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct))
        {
            using var http = EmulatorClients.Raw(server);
            server.DefaultServiceSid.Should().Be(serviceSid);
            (await http.GetFromJsonAsync<JsonElement>($"v1/Roles/{roleSid}", Ct)).GetProperty("friendly_name").GetString().Should().Be("everything");
            await PostAsync(http, "v1/Conversations", ("UniqueName", "after-migration"));
        }

        Scalar("PRAGMA user_version;").Should().Be(2L);
        Scalar("SELECT count(*) FROM records WHERE kind = 'conversation';").Should().Be(1L);
    }

    private async Task AssertRefusedAsync(string cause)
    {
        var before = Hash(Database);

        var (exitCode, output, error) = await EmulatorProcess.RunToExitAsync(_directory, Ct);

        exitCode.Should().Be(Program.StorageRefusedExitCode);
        output.Should().BeEmpty("a refused emulator never listens");
        error.Should().Contain(Database).And.Contain(cause).And.Contain("left as it was");
        Hash(Database).Should().Equal(before, "a database the emulator refuses is not written to");
    }

    /// <summary>A real database: the default service, a user, a conversation with messages; closed, so it is all in the file.</summary>
    private async Task WriteSomeStateAsync(int messages = 3)
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = _directory, Ct);
        using var http = EmulatorClients.Raw(server);
        await PostAsync(http, "v1/Users", ("Identity", "alice"));
        var room = (await PostAsync(http, "v1/Conversations", ("UniqueName", "room"))).GetProperty("sid").GetString()!;
        for (var i = 0; i < messages; i++)
        {
            await PostAsync(http, $"v1/Conversations/{room}/Messages", ("Author", "alice"), ("Body", $"message {i} " + new string('m', 200)));
        }
    }

    private void Sql(params string[] statements)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static byte[] Hash(string file) => SHA256.HashData(File.ReadAllBytes(file));

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, params (string Key, string Value)[] fields)
    {
        using var response = await http.PostAsync(path, EmulatorClients.Form(fields), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created, body.ToString());
        return body;
    }
}
