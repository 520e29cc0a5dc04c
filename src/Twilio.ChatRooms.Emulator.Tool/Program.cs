// The Conversations emulator on its own: `conversations-emulator --help`.
using Twilio.ChatRooms.Emulator.Tool;

return await EmulatorCommand.RunAsync(args, Console.Out, Console.Error);
