using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>
/// A process a test or a benchmark starts: the emulator, the web host, a Node probe, a fan-out server, a command.
/// Its standard output is read line by line as it comes (<see cref="ReadLineAsync"/>, <see cref="WaitForLineAsync"/>);
/// everything it printed, standard error too, is kept for the message when it fails (<see cref="Printed"/>). Disposing
/// it kills it with its children.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable, IDisposable
{
    private const int KeptLines = 2000;

    /// <summary>
    /// How long a test waits for a process to start or a command to end before it calls it hung: generous, because a
    /// .NET process's start takes more than a minute when the machine is loaded (seen in CI runs at a load of 30), and
    /// a guard on a hang only, never a claim about speed.
    /// </summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<string> _printed = new();
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>What the failure messages call it: the program's file name.</summary>
    public string Name { get; }

    /// <summary>The operating system's process id.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line it printed so far, standard output and standard error in the order they were read (the first 2,000).</summary>
    public string Printed => string.Join('\n', _printed);

    /// <summary>
    /// Starts <paramref name="start"/> with its standard streams redirected (input too, for <see cref="WriteLineAsync"/>).
    /// </summary>
    public static ChildProcess Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process, Path.GetFileName(start.FileName));
        process.OutputDataReceived += (_, e) => child.Received(e.Data, output: true);
        process.ErrorDataReceived += (_, e) => child.Received(e.Data, output: false);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{child.Name} did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// How to start a .NET program of this build: its own executable when the build made one, else <c>dotnet exec</c>
    /// (the SDK's own <c>dotnet</c> under <c>dotnet test</c>).
    /// </summary>
    public static ProcessStartInfo Dotnet(string assemblyPath)
    {
        var appHost = Path.ChangeExtension(assemblyPath, OperatingSystem.IsWindows() ? ".exe" : null);
        return File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { "exec", assemblyPath } };
    }

    /// <summary>Runs a command to its end (<see cref="HangGuard"/> at most): its exit code and what it printed on standard output, and on standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HangGuard);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not end within {HangGuard.TotalMinutes:F0} minutes");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <inheritdoc cref="RunAsync(ProcessStartInfo, CancellationToken)"/>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, params string[] arguments) =>
        RunAsync(new ProcessStartInfo(fileName, arguments));

    /// <summary>The next line of its standard output, or null once it has closed it (it exited).</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken = default) =>
        await _lines.Reader.WaitToReadAsync(cancellationToken) ? await _lines.Reader.ReadAsync(cancellationToken) : null;

    /// <summary>
    /// Reads its standard output until a line that <paramref name="matches"/>, within <paramref name="timeout"/>;
    /// throws with what it printed when it exits first or the time runs out.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matches);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await ReadLineAsync(deadline.Token) is { } line)
            {
                if (matches(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} printed no such line within {timeout.TotalSeconds:F0} s. It printed:\n{Printed}");
        }

        await _errorEnded.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        throw new InvalidOperationException($"{Name} exited ({ExitCodeOrRunning()}) before it printed the line awaited. It printed:\n{Printed}");
    }

    /// <summary>Writes one line to its standard input.</summary>
    public async Task WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
    }

    /// <summary>Closes its standard input (a program that reads it to its end then stops).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits (<paramref name="timeout"/> at most) for it to exit by itself, and for the rest of its output; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(_outputEnded.Task, _errorEnded.Task).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:F0} s. It printed:\n{Printed}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager stops a program.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"SIGTERM could not be sent to {Name} ({Id})");
        }
    }

    /// <summary>Kills it and its children at once (SIGKILL on Unix), as a crash would, and waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private string ExitCodeOrRunning() =>
        _process.HasExited ? "code " + _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running, output closed";

    private void Received(string? line, bool output)
    {
        if (line is null)
        {
            (output ? _outputEnded : _errorEnded).TrySetResult();
            if (output)
            {
                _lines.Writer.TryComplete();
            }

            return;
        }

        if (_printed.Count < KeptLines)
        {
            _printed.Enqueue(line);
        }

        if (output)
        {
            _lines.Writer.TryWrite(line);
        }
    }
}
