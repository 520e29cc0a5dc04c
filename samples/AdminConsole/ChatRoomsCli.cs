using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace AdminConsole;

/// <summary>
/// The <c>chatrooms</c> command line: <c>list</c>, <c>create</c>, <c>delete</c>, <c>members</c>, <c>sms add</c>,
/// <c>sms remove</c>, <c>send</c>, <c>webhooks show</c>, <c>webhooks set</c>, <c>webhooks clear</c> and <c>setup</c>.
/// </summary>
internal static class ChatRoomsCli
{
    /// <summary>Runs the command line and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where the single error line goes.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C does too).</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, overrides: null, cancellationToken);

    /// <summary>Runs the command line with settings that win over every configuration source (for tests).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where the single error line goes.</param>
    /// <param name="overrides">Configuration keys such as <c>Twilio:AuthToken</c>, applied last; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C does too).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?>? overrides,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var root = BuildCommand(stdout, stderr, overrides);
        var parseResult = root.Parse(EmulatorOption.WithDefaultAddress(args));
        if (parseResult.Errors.Count > 0)
        {
            var errors = string.Join(" ", parseResult.Errors.Select(e => e.Message).Distinct());
            await stderr.WriteLineAsync(ExitCodes.OneLine($"{errors} Run 'chatrooms --help' for usage.")).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(2), // Ctrl+C cancels the command's token first
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? overrides)
    {
        var emulator = EmulatorOption.Create();

        var credentials = new Option<string?>("--emulator-credentials")
        {
            Description = $"With --emulator: the emulator's credentials file (default {EmulatorDefaults.CredentialsFile}, where the web host's emulator writes them).",
            HelpName = "FILE",
            Recursive = true,
        };

        var run = new CommandRunner(stderr, emulator, credentials, overrides);
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {name, sid} objects." };
        var list = new Command("list", "List every chat room, one 'name (sid)' a line.") { json };
        list.SetAction((parseResult, ct) => run.RunAsync(parseResult, null, async (services, token) =>
        {
            var admin = services.GetRequiredService<IChatRoomAdmin>();
            var rooms = new List<ChatRoom>();
            await foreach (var room in admin.ListRoomsAsync(token).ConfigureAwait(false))
            {
                if (!parseResult.GetValue(json))
                {
                    await stdout.WriteLineAsync($"{room.Name} ({room.Sid})").ConfigureAwait(false);
                }

                rooms.Add(room);
            }

            if (parseResult.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonOutput.Rooms(rooms)).ConfigureAwait(false);
            }
        }, ct));

        var createName = new Argument<string>("name") { Description = "The new room's name (1 to 256 characters)." };
        var create = new Command("create", "Create a chat room; fails if one of that name exists.") { createName };
        create.SetAction((parseResult, ct) =>
        {
            var name = parseResult.GetRequiredValue(createName);
            return run.RunAsync(parseResult, name, async (services, token) =>
            {
                var room = await services.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync(name, token).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Created chat room {room.Name} ({room.Sid})").ConfigureAwait(false);
            }, ct);
        });

        var deleteName = new Argument<string>("name") { Description = "The name of the room to delete." };
        var delete = new Command("delete", "Delete a chat room and its messages; fails if there is none of that name.") { deleteName };
        delete.SetAction((parseResult, ct) =>
        {
            var name = parseResult.GetRequiredValue(deleteName);
            return run.RunAsync(parseResult, name, async (services, token) =>
            {
                await services.GetRequiredService<IChatRoomAdmin>().DeleteRoomAsync(name, token).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Deleted chat room {name}").ConfigureAwait(false);
            }, ct);
        });

        var setup = new Command("setup",
            "Make sure the 'participant' service role exists with only joinConversation and editOwnUserInfo (and createConversation "
            + "on an emulator, or when Twilio:UsersMayCreateConversations is true), and show the conversation service.");
        setup.SetAction((parseResult, ct) => run.RunAsync(parseResult, null, async (services, token) =>
        {
            var result = await services.GetRequiredService<IParticipantProvisioner>().EnsureParticipantRoleAsync(token).ConfigureAwait(false);
            var permissions = services.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value.UsersMayCreateConversations
                ? "createConversation, joinConversation and editOwnUserInfo"
                : "joinConversation and editOwnUserInfo";
            var what = result.Change switch
            {
                RoleSetupChange.Created => $"Created the service role {result.RoleName} ({result.RoleSid}) with {permissions}.",
                RoleSetupChange.PermissionsUpdated => $"Updated the service role {result.RoleName} ({result.RoleSid}): its permissions are now {permissions}.",
                _ => $"The service role {result.RoleName} ({result.RoleSid}) is already right; nothing changed.",
            };
            await stdout.WriteLineAsync(what).ConfigureAwait(false);
            await stdout.WriteLineAsync($"Conversation service: {result.ServiceSid}").ConfigureAwait(false);
        }, ct));

        var membersJson = new Option<bool>("--json") { Description = "Print a JSON array of {sid, identity, phoneNumber, proxyNumber} objects." };
        var membersRoom = new Argument<string>("room") { Description = "The room's name." };
        var members = new Command("members", "List a room's participants, one identity or SMS phone number a line.") { membersRoom, membersJson };
        members.SetAction((parseResult, ct) =>
        {
            var room = parseResult.GetRequiredValue(membersRoom);
            return run.RunAsync(parseResult, room, async (services, token) =>
            {
                var participants = new List<ChatRoomParticipant>();
                await foreach (var participant in services.GetRequiredService<IChatRoomAdmin>().ListParticipantsAsync(room, token).ConfigureAwait(false))
                {
                    if (!parseResult.GetValue(membersJson))
                    {
                        await stdout.WriteLineAsync(participant.Identity ?? participant.PhoneNumber ?? participant.Sid).ConfigureAwait(false);
                    }

                    participants.Add(participant);
                }

                if (parseResult.GetValue(membersJson))
                {
                    await stdout.WriteLineAsync(JsonOutput.Participants(participants)).ConfigureAwait(false);
                }
            }, ct);
        });

        var smsAddRoom = new Argument<string>("room") { Description = "The room's name." };
        var smsAddNumber = new Argument<string>("number") { Description = "The phone number to add, in E.164 form (+15551234567)." };
        var proxy = new Option<string>("--proxy")
        {
            Description = "The Twilio number, in E.164 form, that texts the participant and that it texts.",
            HelpName = "NUMBER",
            Required = true,
        };
        var smsAdd = new Command("add", "Add a phone number to a room as an SMS participant.") { smsAddRoom, smsAddNumber, proxy };
        smsAdd.SetAction((parseResult, ct) =>
        {
            var room = parseResult.GetRequiredValue(smsAddRoom);
            var number = parseResult.GetRequiredValue(smsAddNumber);
            var proxyNumber = parseResult.GetRequiredValue(proxy);
            // No room name for the wording: "already exists" is about the number here, and the library's messages name the room.
            return run.RunAsync(parseResult, null, async (services, token) =>
            {
                var added = await services.GetRequiredService<IChatRoomAdmin>().AddSmsParticipantAsync(room, number, proxyNumber, token).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Added {added.PhoneNumber} to chat room {room} via {added.ProxyNumber} ({added.Sid})").ConfigureAwait(false);
            }, ct);
        });

        var smsRemoveRoom = new Argument<string>("room") { Description = "The room's name." };
        var smsRemoveNumber = new Argument<string>("number") { Description = "The phone number to remove, in E.164 form." };
        var smsRemove = new Command("remove", "Remove a phone number from a room's SMS participants.") { smsRemoveRoom, smsRemoveNumber };
        smsRemove.SetAction((parseResult, ct) =>
        {
            var room = parseResult.GetRequiredValue(smsRemoveRoom);
            var number = parseResult.GetRequiredValue(smsRemoveNumber);
            // Not found may be the room or the number: the library's message says which.
            return run.RunAsync(parseResult, null, async (services, token) =>
            {
                await services.GetRequiredService<IChatRoomAdmin>().RemoveSmsParticipantAsync(room, number, token).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Removed {number} from chat room {room}").ConfigureAwait(false);
            }, ct);
        });

        var sms = new Command("sms", "Add or remove SMS participants (phone numbers) of a room.") { smsAdd, smsRemove };

        var sendRoom = new Argument<string>("room") { Description = "The room's name." };
        var text = new Option<string?>("--text") { Description = "The message's text.", HelpName = "TEXT" };
        var files = new Option<string[]>("--file")
        {
            Description = "A file to attach (repeat for several, at most 10); sent as its extension's content type unless --type says.",
            HelpName = "PATH",
            AllowMultipleArgumentsPerToken = false,
        };
        var type = new Option<string?>("--type") { Description = "The content type of every --file, such as image/png.", HelpName = "TYPE" };
        var author = new Option<string?>("--author") { Description = "Whom the message is from (default: system).", HelpName = "NAME" };
        var send = new Command("send", "Post a message with text, files or both to a room, as the server.") { sendRoom, text, files, type, author };
        send.SetAction((parseResult, ct) =>
        {
            var room = parseResult.GetRequiredValue(sendRoom);
            var paths = parseResult.GetValue(files) ?? [];
            return run.RunAsync(parseResult, room, async (services, token) =>
            {
                var missing = paths.FirstOrDefault(p => !File.Exists(p));
                if (missing is not null)
                {
                    throw new ArgumentException($"No such file: {missing}");
                }

                var streams = paths.Select(p => File.OpenRead(p)).ToList();
                try
                {
                    var attached = paths.Select((p, i) => new ChatRoomFile(Path.GetFileName(p), parseResult.GetValue(type) ?? ContentTypes.Of(p), streams[i])).ToList();
                    var message = await services.GetRequiredService<IChatRoomMessenger>()
                        .SendAsync(room, parseResult.GetValue(text), attached, parseResult.GetValue(author), token).ConfigureAwait(false);
                    await stdout.WriteLineAsync($"Sent message {message.Index} ({message.Sid}) to chat room {room} with {message.MediaSids.Count} files")
                        .ConfigureAwait(false);
                }
                finally
                {
                    streams.ForEach(s => s.Dispose());
                }
            }, ct);
        });
        var webhooks = WebhookCommands.Create(run, stdout);

        return new RootCommand("Manage the chat rooms of a Twilio Conversations service, or of the emulator.")
        {
            Options = { emulator, credentials },
            Subcommands = { list, create, delete, members, sms, send, webhooks, setup },
        };
    }
}
