using AdminConsole;

namespace AdminConsole.Tests;

/// <summary>What one run of the command line printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}; stdout: <{Out}>; stderr: <{Err}>";
}

/// <summary>Runs <c>chatrooms</c> in-process and captures its output.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?>? overrides, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ChatRoomsCli.RunAsync(args, stdout, stderr, overrides, TestContext.Current.CancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
