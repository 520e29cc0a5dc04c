using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Perfolizer.Horology;
using Twilio.ChatRooms.Emulator;
using Twilio.Jwt.AccessToken;

namespace Twilio.ChatRooms.Benchmarks.Tokens;

/// <summary>
/// Tokens per second with BenchmarkDotNet (in process): <see cref="ITokenIssuer.IssueAsync"/> (service SID configured,
/// so no lookup) against a floor, a bare HS256 JWT of the same header and claims written by hand, and against the Twilio
/// SDK's <c>Token.ToJwt()</c>, which the issuer used before it signed tokens itself.
/// </summary>
internal static class TokenIssuingBenchmark
{
    public static Task<string> RunAsync(bool quick)
    {
        var job = (quick
                ? Job.Default.WithWarmupCount(3).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(100))
                : Job.Default.WithWarmupCount(5).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(250)))
            .WithToolchain(InProcessEmitToolchain.Instance);
        var artifacts = Directory.CreateTempSubdirectory("chatrooms-bench-bdn-");
        try
        {
            var config = ManualConfig.CreateMinimumViable()
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddLogger(NullLogger.Instance)
                .WithArtifactsPath(artifacts.FullName)
                .WithOptions(ConfigOptions.DisableLogFile);
            var summary = BenchmarkRunner.Run<TokenIssuing>(config);
            var rows = summary.Reports.ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                r => (Mean: r.ResultStatistics?.Mean ?? double.NaN, Error: r.ResultStatistics?.StandardError ?? double.NaN,
                    Allocated: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? 0));
            var floor = rows[nameof(TokenIssuing.BareHs256)];
            var ours = rows[nameof(TokenIssuing.IssueAsync)];
            var sdk = rows[nameof(TokenIssuing.TwilioSdkToJwt)];
            var table = new StringBuilder()
                .AppendLine("## Token issuing per second (BenchmarkDotNet)")
                .AppendLine()
                .AppendLine("| issuer | tokens/s | µs/token (± s.e.) | allocated/token | share of the floor |")
                .AppendLine("| --- | ---: | ---: | ---: | ---: |");
            void Row(string name, (double Mean, double Error, long Allocated) r) =>
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {1e9 / r.Mean:N0} | {r.Mean / 1000:F2} ± {r.Error / 1000:F2} | {r.Allocated:N0} B | {floor.Mean / r.Mean:P0} |");
            Row("bare HS256 JWT (Utf8JsonWriter + HMACSHA256.HashData + Base64Url, by hand): the floor", floor);
            Row("Twilio.ChatRooms `ITokenIssuer.IssueAsync`", ours);
            Row("Twilio SDK `new Token(...).ToJwt()` (what `IssueAsync` called before this issue)", sdk);
            return Task.FromResult(table.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"`IssueAsync` runs at **{floor.Mean / ours.Mean:P0} of the floor**; the SDK's signer alone ran at {floor.Mean / sdk.Mean:P0}. ")
                .AppendLine(CultureInfo.InvariantCulture, $"BenchmarkDotNet {typeof(BenchmarkRunner).Assembly.GetName().Version}, in-process emit toolchain, {(quick ? "a short job of 5 measured iterations of 100 ms after 3 warm-ups" : "15 measured iterations of 250 ms after 5 warm-ups")}, ")
                .AppendLine("one thread, MemoryDiagnoser. All three sign the same header and claims (jti, iss, sub, exp, grants.identity, ")
                .AppendLine("grants.chat.service_sid) with the same key, for an identity that changes every call; `IssueAsync` also checks ")
                .AppendLine("the identity and writes a log event (filtered out here).")
                .AppendLine()
                .AppendLine("**Changed in this issue:** `TokenIssuer.IssueAsync` called the SDK's `new Token(...).ToJwt()`, which builds the ")
                .AppendLine("header and claims as dictionaries and signs them through a general-purpose JWT library: MemoryDiagnoser shows about ")
                .AppendLine("20 KB allocated per token against the floor's 1.2 KB. It now gives Microsoft.IdentityModel's `JsonWebTokenHandler` ")
                .AppendLine("(a maintained JWT library, not a signer of our own) the claims already serialized by System.Text.Json source ")
                .AppendLine("generation, with one cached signing key so the handler reuses its HMAC; a test holds the result to the SDK's header ")
                .AppendLine("and claims. The SDK's row above is the before, measured in the same run. What is left between `IssueAsync` and the ")
                .AppendLine("floor is the handler's own work (header, Base64Url, its signature provider) and the issuer's: the async call with the ")
                .AppendLine("cached service SID, the identity check and the log call.")
                .ToString());
        }
        finally
        {
            artifacts.Delete(recursive: true);
        }
    }
}

/// <summary>The benchmark class BenchmarkDotNet runs; public and unsealed as it requires.</summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "BenchmarkDotNet calls instance methods")]
public class TokenIssuing : IDisposable
{
    private const string ServiceSid = "IS00000000000000000000000000000000";
    private readonly EmulatorCredentials _credentials = EmulatorCredentials.Development;
    private ServiceProvider? _provider;
    private ITokenIssuer? _issuer;
    private BareJwt? _floor;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // No emulator is called: with the service SID configured, issuing makes no request.
        _provider = EmulatorBackedLibrary.Create(new Uri("http://127.0.0.1:9/emulator"), _credentials, o => o.ServiceSid = ServiceSid);
        _issuer = _provider.GetRequiredService<ITokenIssuer>();
        _floor = new BareJwt(_credentials.AccountSid, _credentials.ApiKeySid, _credentials.ApiKeySecret, ServiceSid);
    }

    [Benchmark(Baseline = true)]
    public string BareHs256() => _floor!.Issue(NextIdentity());

    [Benchmark]
    public async Task<string> IssueAsync() => (await _issuer!.IssueAsync(NextIdentity())).Token;

    [Benchmark]
    public string TwilioSdkToJwt() => new Token(_credentials.AccountSid, _credentials.ApiKeySid, _credentials.ApiKeySecret, NextIdentity(),
        expiration: DateTime.UtcNow.AddHours(1), grants: [new ChatGrant { ServiceSid = ServiceSid }]).ToJwt();

    [GlobalCleanup]
    public void Dispose()
    {
        _provider?.Dispose();
        GC.SuppressFinalize(this);
    }

    private string NextIdentity() => string.Create(CultureInfo.InvariantCulture, $"user-{_next++}");
}
