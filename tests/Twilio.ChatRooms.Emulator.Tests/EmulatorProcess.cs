using System.Diagnostics;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>A real emulator process (this test program in its <c>--emulator-host</c> mode) on a data directory.</summary>
internal static class EmulatorProcess
{
    /// <summary>Starts it; standard input, output and error are redirected. Its first output line is its base address.</summary>
    public static Process Start(string directory)
    {
        var assembly = typeof(Program).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { "exec", assembly } };
        start.ArgumentList.Add(Program.EmulatorHostArgument);
        start.ArgumentList.Add(directory);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator host");
    }

    /// <summary>Starts one and waits for its base address; throws with its standard error when it exits instead.</summary>
    public static async Task<(Process Process, Uri BaseAddress)> StartListeningAsync(string directory, CancellationToken cancellationToken)
    {
        var process = Start(directory);
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            process.Dispose();
            throw new InvalidOperationException($"The emulator host exited before listening: {error}");
        }

        return (process, new Uri(line));
    }

    /// <summary>Runs one that is expected to be refused: its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(string directory, CancellationToken cancellationToken)
    {
        using var process = Start(directory);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The emulator host started on a directory it should have refused: " + await output);
        }

        return (process.ExitCode, await output, await error);
    }

    public static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true); // SIGKILL on Unix
            process.WaitForExit();
        }
    }
}
