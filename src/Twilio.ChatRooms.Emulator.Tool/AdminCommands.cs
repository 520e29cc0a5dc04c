using System.CommandLine;
using System.Text.Json;
using Twilio.ChatRooms.EmulatorAdmin;

namespace Twilio.ChatRooms.Emulator.Tool;

/// <summary>
/// <c>conversations-emulator reset | seed FILE | snapshot take|restore|delete NAME | snapshot list</c>: the admin
/// endpoints of an emulator that is running on this machine (<c>--port</c>, default 4010), signed with the credentials
/// its data directory holds (<c>--data-dir</c>, the same default as the server's). Exit 0 when done, 1 with the
/// emulator's refusal or when none answers.
/// </summary>
internal static class AdminCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEnumerable<Command> Create(TextWriter stdout, TextWriter stderr)
    {
        var reset = Admin("reset", "Empty a running emulator: every conversation, user, text and role of its own (the credentials stay).",
            stdout, stderr, [], (_, admin, ct) => admin.ResetAsync(ct), b => $"Reset: removed {Counts(b.GetProperty("removed"))}.");

        var file = new Argument<FileInfo>("FILE") { Description = "The seed file, JSON or YAML (the emulator's README shows its shape)." };
        var seed = Admin("seed", "Add a seed file's roles, users and conversations to a running emulator (all or nothing).",
            stdout, stderr, [file], async (r, admin, ct) => await admin.SeedAsync(await File.ReadAllTextAsync(r.GetValue(file)!.FullName, ct).ConfigureAwait(false), ct).ConfigureAwait(false),
            b => $"Seeded: created {Counts(b.GetProperty("created"))}.");

        var name = () => new Argument<string>("NAME") { Description = "The snapshot's name: letters, digits, '.', '-' or '_'." };
        var takeName = name();
        var replace = new Option<bool>("--replace") { Description = "Replace a snapshot of that name." };
        var take = Admin("take", "Keep a running emulator's whole state under a name.", stdout, stderr, [takeName, replace],
            (r, admin, ct) => admin.TakeSnapshotAsync(r.GetValue(takeName)!, r.GetValue(replace), ct),
            b => $"Snapshot {b.GetProperty("name").GetString()} taken: {b.GetProperty("records").GetInt32()} records, {b.GetProperty("media_files").GetInt32()} media files.");
        var restoreName = name();
        var restore = Admin("restore", "Put a running emulator's state back as a snapshot holds it.", stdout, stderr, [restoreName],
            (r, admin, ct) => admin.RestoreSnapshotAsync(r.GetValue(restoreName)!, ct),
            b => $"Restored: {Counts(b.GetProperty("restored"))}.");
        var deleteName = name();
        var delete = Admin("delete", "Delete a snapshot.", stdout, stderr, [deleteName],
            (r, admin, ct) => admin.DeleteSnapshotAsync(r.GetValue(deleteName)!, ct), _ => "Deleted.");
        var list = Admin("list", "List a running emulator's snapshots, oldest first.", stdout, stderr, [],
            (_, admin, ct) => admin.ListSnapshotsAsync(ct),
            b => string.Join(Environment.NewLine, b.GetProperty("snapshots").EnumerateArray()
                .Select(s => $"{s.GetProperty("name").GetString()}\t{s.GetProperty("date_created").GetString()}\t{s.GetProperty("records").GetInt32()} records")
                .DefaultIfEmpty("No snapshots.")));
        var snapshot = new Command("snapshot", "Take, restore, list or delete snapshots of a running emulator's state.") { take, restore, list, delete };
        return [reset, seed, snapshot];
    }

    private static Command Admin(string verb, string description, TextWriter stdout, TextWriter stderr, Symbol[] symbols,
        Func<ParseResult, EmulatorAdminClient, CancellationToken, Task<EmulatorAdminAnswer>> request, Func<JsonElement, string> describe)
    {
        var port = new Option<int?>("--port") { Description = $"The running emulator's port. Default {EmulatorSettings.DefaultPort}." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = $"Its data directory, where its credentials are. Default ./{EmulatorSettings.DefaultDataDirectory}." };
        var command = new Command(verb, description) { port, dataDirectory };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parsed.GetValue(dataDirectory) ?? EmulatorSettings.DefaultDataDirectory);
            var credentialsFile = Path.Combine(directory, EmulatorCredentials.FileName);
            var address = $"http://127.0.0.1:{parsed.GetValue(port) ?? EmulatorSettings.DefaultPort}{EmulatorSettings.Prefix}/";
            EmulatorCredentials credentials;
            try
            {
                credentials = JsonSerializer.Deserialize<EmulatorCredentials>(await File.ReadAllTextAsync(credentialsFile, cancellationToken).ConfigureAwait(false), Json)
                    ?? throw new InvalidDataException("it is empty");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"conversations-emulator {verb}: cannot read the emulator's credentials in {credentialsFile} ({e.Message}); point --data-dir at the running emulator's data directory.").ConfigureAwait(false);
                return EmulatorCommand.StartFailed;
            }

            try
            {
                using var http = new HttpClient();
                var answer = await request(parsed, new EmulatorAdminClient(http, address, credentials.AccountSid, credentials.AuthToken), cancellationToken)
                    .ConfigureAwait(false);
                if (!answer.Succeeded)
                {
                    await stderr.WriteLineAsync($"conversations-emulator {verb}: refused ({answer.Status}): {answer.ErrorMessage ?? answer.Reason}").ConfigureAwait(false);
                    return EmulatorCommand.StartFailed;
                }

                await stdout.WriteLineAsync(describe(answer.Body.Length > 0 ? JsonDocument.Parse(answer.Body).RootElement : default)).ConfigureAwait(false);
                return 0;
            }
            catch (HttpRequestException e)
            {
                await stderr.WriteLineAsync($"conversations-emulator {verb}: no emulator answers at {address} ({e.Message}); start one with 'conversations-emulator', or give its --port.").ConfigureAwait(false);
                return EmulatorCommand.StartFailed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The command's own file (a seed file) could not be read: nothing was sent.
                await stderr.WriteLineAsync($"conversations-emulator {verb}: {e.Message}").ConfigureAwait(false);
                return EmulatorCommand.StartFailed;
            }
        });
        return command;
    }

    private static string Counts(JsonElement counts) =>
        $"{counts.GetProperty("conversations").GetInt32()} conversations, {counts.GetProperty("users").GetInt32()} users, "
        + $"{counts.GetProperty("roles").GetInt32()} roles, {counts.GetProperty("participants").GetInt32()} participants, {counts.GetProperty("messages").GetInt32()} messages";
}
