using System.Diagnostics;
using System.Globalization;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// A server's CPU time (user and kernel, every thread), the bytes it allocated, its garbage collector's pause time
/// and collections per generation, and the methods its JIT compiled, or the difference of two.
/// </summary>
internal sealed record ServerTally(TimeSpan Cpu, long Allocated, TimeSpan Paused, int Gen0, int Gen1, int Gen2, long JitCompiled)
{
    public static ServerTally operator -(ServerTally after, ServerTally before) =>
        new(after.Cpu - before.Cpu, after.Allocated - before.Allocated, after.Paused - before.Paused,
            after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.JitCompiled - before.JitCompiled);

    /// <summary>The collections, as the steps' table shows them: pause ms (gen 0/1/2).</summary>
    public string Collections => $"{Paused.TotalMilliseconds:F0} ({Gen0}/{Gen1}/{Gen2})";
}

/// <summary>A server's working set and its live managed heap after a full collection, in bytes.</summary>
internal sealed record ServerMemory(long WorkingSet, long LiveHeap);

/// <summary>A <see cref="FanoutServer"/> in a child process: this executable again, with <c>--serve</c>.</summary>
internal sealed class FanoutServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private FanoutServerProcess(ChildProcess process, Uri baseAddress, string serviceSid)
    {
        _process = process;
        BaseAddress = baseAddress;
        ServiceSid = serviceSid;
    }

    public Uri BaseAddress { get; }

    public string ServiceSid { get; }

    /// <summary>The twilsock websocket: <c>{base address}/twilsock</c> with the ws scheme, on both servers.</summary>
    public Uri TwilsockUrl => Twilio.ChatRooms.Emulator.ConversationsEmulatorServer.TwilsockUriFor(BaseAddress);

    /// <summary>
    /// Starts the server; <paramref name="serverGc"/> as an ASP.NET Core host runs, else the runtime's default (workstation) GC;
    /// with <paramref name="gcLog"/>, it writes its collections there (<see cref="FanoutServer.GcLogVariable"/>).
    /// </summary>
    public static async Task<FanoutServerProcess> StartAsync(string kind, bool serverGc, FileInfo? gcLog = null)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!);

        // Under `dotnet bench.dll` the process is dotnet itself, which needs the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(FanoutServerProcess).Assembly.Location);
        }

        info.ArgumentList.Add(FanoutServer.Flag);
        info.ArgumentList.Add(kind);
        info.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        if (gcLog is not null)
        {
            info.Environment[FanoutServer.GcLogVariable] = gcLog.FullName;
        }

        var process = ChildProcess.Start(info);
        var ready = await process.WaitForLineAsync(_ => true, TimeSpan.FromSeconds(30));
        if (ready.Split(' ') is not ["ready", var address, var serviceSid])
        {
            process.Dispose();
            throw new InvalidOperationException($"the {kind} server did not start: {process.Printed}");
        }

        return new FanoutServerProcess(process, new Uri(address), serviceSid);
    }

    /// <summary>The server's working set and its live managed heap after a full collection, in bytes.</summary>
    public async Task<ServerMemory> MemoryAsync()
    {
        var line = await AskAsync("stats");
        var parts = line?.Split(' ');
        return parts is ["stats", var workingSet, var live]
            ? new ServerMemory(long.Parse(workingSet, CultureInfo.InvariantCulture), long.Parse(live, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"unexpected answer from the fan-out server: {line}");
    }

    /// <summary>The server's CPU time so far, its garbage collector's (total pause time, collections of each generation), and the methods its JIT compiled.</summary>
    public async Task<ServerTally> TallyAsync()
    {
        var line = await AskAsync("tally");
        return line?.Split(' ') is ["tally", var cpu, var allocated, var ticks, var gen0, var gen1, var gen2, var jit]
            ? new ServerTally(TimeSpan.FromTicks(long.Parse(cpu, CultureInfo.InvariantCulture)), long.Parse(allocated, CultureInfo.InvariantCulture), TimeSpan.FromTicks(long.Parse(ticks, CultureInfo.InvariantCulture)), int.Parse(gen0, CultureInfo.InvariantCulture),
                int.Parse(gen1, CultureInfo.InvariantCulture), int.Parse(gen2, CultureInfo.InvariantCulture), long.Parse(jit, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"unexpected answer from the fan-out server: {line}");
    }

    public async ValueTask DisposeAsync()
    {
        _process.CloseInput(); // the server exits when its stdin closes
        try
        {
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Killed below.
        }

        await _process.DisposeAsync();
    }

    /// <summary>Writes a command to the server and reads its one-line answer.</summary>
    private async Task<string?> AskAsync(string command)
    {
        await _process.WriteLineAsync(command);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _process.ReadLineAsync(timeout.Token);
    }
}
