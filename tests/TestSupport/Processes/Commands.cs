using System.ComponentModel;
using System.Diagnostics;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>Short system commands the tests run (mount, umount, stat): synchronous, their output ignored or read whole.</summary>
public static class Commands
{
    /// <summary>Runs <paramref name="command"/> to its end: its exit code, or -1 when the machine has no such command.</summary>
    public static int Run(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (Win32Exception)
        {
            return -1;
        }
    }

    /// <summary>A file's or folder's mode as stat(1) shows it: read past .NET, which the code under test also uses.</summary>
    public static UnixFileMode ModeOf(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("stat", ["-c", "%a", path]) { RedirectStandardOutput = true })!;
        var octal = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return (UnixFileMode)Convert.ToInt32(octal, 8);
    }
}
