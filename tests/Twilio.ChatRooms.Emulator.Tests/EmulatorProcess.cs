namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>A real emulator process (this test program in its <c>--emulator-host</c> mode) on a data directory.</summary>
internal static class EmulatorProcess
{
    /// <summary>Starts it. Its first output line is its base address.</summary>
    public static ChildProcess Start(string directory)
    {
        var start = ChildProcess.Dotnet(typeof(Program).Assembly.Location);
        start.ArgumentList.Add(Program.EmulatorHostArgument);
        start.ArgumentList.Add(directory);
        return ChildProcess.Start(start);
    }

    /// <summary>Starts one and waits for its base address; throws with what it printed when it exits instead.</summary>
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartListeningAsync(string directory, CancellationToken cancellationToken)
    {
        var process = Start(directory);
        try
        {
            var line = await process.WaitForLineAsync(_ => true, ChildProcess.HangGuard, cancellationToken);
            return (process, new Uri(line));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs one that is expected to be refused: its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(string directory, CancellationToken cancellationToken)
    {
        var start = ChildProcess.Dotnet(typeof(Program).Assembly.Location);
        start.ArgumentList.Add(Program.EmulatorHostArgument);
        start.ArgumentList.Add(directory);
        try
        {
            return await ChildProcess.RunAsync(start, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException("The emulator host started on a directory it should have refused", e);
        }
    }

    /// <summary>Kills it as a crash would (SIGKILL).</summary>
    public static void Kill(ChildProcess process) => process.Kill();
}
