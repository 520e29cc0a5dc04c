using System.CommandLine;
using Microsoft.Extensions.Hosting;

namespace AdminConsole;

/// <summary>What every <c>chatrooms</c> command does around its own work: the host, the failure line, the exit code.</summary>
/// <param name="stderr">Where the single error line goes.</param>
/// <param name="emulator">The <c>--emulator</c> option.</param>
/// <param name="credentials">The <c>--emulator-credentials</c> option.</param>
/// <param name="overrides">Configuration keys applied last (for tests); may be <see langword="null"/>.</param>
internal sealed class CommandRunner(
    TextWriter stderr, Option<Uri?> emulator, Option<string?> credentials, IReadOnlyDictionary<string, string?>? overrides)
{
    /// <summary>
    /// Starts the library's host on the service or the emulator the command names, runs <paramref name="action"/>, and
    /// turns every failure into one line on standard error and its exit code (<see cref="ExitCodes"/>).
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="roomName">The room the command is about, for the wording of a failure; null when none.</param>
    /// <param name="action">What the command does with the library's services.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C does too).</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(
        ParseResult parseResult,
        string? roomName,
        Func<IServiceProvider, CancellationToken, Task> action,
        CancellationToken cancellationToken)
    {
        var address = EmulatorOption.Address(parseResult, emulator);
        IHost? host = null;
        try
        {
            host = await ConsoleHost.StartAsync(address, parseResult.GetValue(credentials), overrides, cancellationToken).ConfigureAwait(false);
            var services = host.Services;
            // Ctrl+C ends the command at once, even while a request is still waiting for an answer (the library
            // cannot always abort one: the Twilio SDK it wraps takes no CancellationToken and may block).
            await Task.Run(() => action(services, cancellationToken), cancellationToken)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            host.Dispose();
            return ExitCodes.Success;
        }
#pragma warning disable CA1031 // Every failure becomes one line and an exit code, by design.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var (code, message) = ExitCodes.FromException(e, roomName);
            await stderr.WriteLineAsync(message).ConfigureAwait(false);
            if (host is not null)
            {
                // After a cancellation a request may still be running; disposing would wait for it.
                _ = Task.Run(host.Dispose, CancellationToken.None);
            }

            return code;
        }
    }
}
