[assembly: AssemblyFixture(typeof(Twilio.ChatRooms.TestSupport.EmulatorFixture))]

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// The test runner's entry point (xunit's generated one, plus one mode): <c>--emulator-host {directory}</c> runs a
/// durable emulator in this process and prints its base address, so tests can kill a real process; when the emulator
/// cannot use the directory it prints why on standard error and exits with <see cref="StorageRefusedExitCode"/>.
/// </summary>
internal static class Program
{
    public const string EmulatorHostArgument = "--emulator-host";
    public const int StorageRefusedExitCode = 3;

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
        ConversationsEmulatorServer server;
        try
        {
            server = await ConversationsEmulatorServer.StartAsync(o =>
            {
                o.DataDirectory = directory;
                o.WebhookTimeout = TimeSpan.FromMinutes(10);   // a held webhook stays in flight until the test kills the process
            });
        }
        catch (EmulatorStorageException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return StorageRefusedExitCode;
        }

        await using var _ = server;
        Console.Out.WriteLine(server.BaseAddress);
        Console.Out.Flush();

        // Runs until killed, or until the parent closes standard input.
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
