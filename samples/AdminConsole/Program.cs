// The chatrooms command: see docs/admin-console.md. All the work is in ChatRoomsCli so tests can run it in-process.
return await AdminConsole.ChatRoomsCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
