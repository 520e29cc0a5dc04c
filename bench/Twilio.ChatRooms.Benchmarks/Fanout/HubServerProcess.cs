using System.Diagnostics;
using System.Globalization;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>A <see cref="HubServer"/> in a child process: this executable again, with <c>--serve</c>.</summary>
internal sealed class HubServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HubServerProcess(Process process, Uri baseAddress, string serviceSid)
    {
        _process = process;
        BaseAddress = baseAddress;
        ServiceSid = serviceSid;
    }

    public Uri BaseAddress { get; }

    public string ServiceSid { get; }

    public Uri HubUrl => new(BaseAddress.ToString().TrimEnd('/') + "/hub");

    public static async Task<HubServerProcess> StartAsync(string kind)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Under `dotnet bench.dll` the process is dotnet itself, which needs the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(HubServerProcess).Assembly.Location);
        }

        info.ArgumentList.Add(HubServer.Flag);
        info.ArgumentList.Add(kind);
        info.Environment["DOTNET_gcServer"] = "1"; // ASP.NET Core's default, as a web host would run the hub
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the hub server");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ready = await process.StandardOutput.ReadLineAsync(timeout.Token);
        var parts = ready?.Split(' ');
        if (parts is not ["ready", var address, var serviceSid])
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the {kind} hub server did not start: {ready}");
        }

        return new HubServerProcess(process, new Uri(address), serviceSid);
    }

    /// <summary>The server's working set and its live managed heap after a full collection, in bytes.</summary>
    public async Task<(long WorkingSet, long LiveHeap)> MemoryAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        var parts = line?.Split(' ');
        return parts is ["stats", var workingSet, var live]
            ? (long.Parse(workingSet, CultureInfo.InvariantCulture), long.Parse(live, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"unexpected answer from the hub server: {line}");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close(); // the server exits when its stdin closes
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
