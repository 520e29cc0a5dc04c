namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// The test runner's entry point (xunit's generated one, plus one mode): <c>--emulator-host {directory}</c> runs a
/// durable emulator in this process and prints its base address, so tests can kill a real process.
/// </summary>
internal static class Program
{
    public const string EmulatorHostArgument = "--emulator-host";

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == EmulatorHostArgument)
        {
            return RunEmulatorHostAsync(args[1]).GetAwaiter().GetResult();
        }

        return args.Any(arg => arg is "--server" or "--internal-msbuild-node")
            ? Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult()
            : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }

    private static async Task<int> RunEmulatorHostAsync(string directory)
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(o => o.DataDirectory = directory);
        Console.Out.WriteLine(server.BaseAddress);
        Console.Out.Flush();

        // Runs until killed, or until the parent closes standard input.
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
