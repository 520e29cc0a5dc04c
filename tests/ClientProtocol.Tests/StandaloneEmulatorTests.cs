using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using Twilio.Rest.Conversations.V1;

namespace ClientProtocol.Tests;

/// <summary>The <c>conversations-emulator</c> command, run as a real process, as a developer whose app is not our host would.</summary>
public sealed partial class StandaloneEmulatorTests
{
    [Fact]
    public async Task Start_WithFaultsOnTheCommandLine_ServesRestWithThoseFaults()
    {
        using var tool = Start("--port", "0", "--in-memory", "--rate-503", "1");
        var address = await tool.AddressAsync();

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(address + "/v1/Conversations"), Ct);

        ((int)response.StatusCode).Should().Be(503);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        body["code"]!.GetValue<int>().Should().Be(20503, "a fault answers Twilio's error body");
        tool.Output.Should().Contain($"Twilsock: {{ uri: \"ws://{new Uri(address).Authority}/emulator/twilsock\" }}").And.Contain("503 rate 1");
    }

    [Theory]
    [InlineData("--rate-503", "2", "--rate-503")]
    [InlineData("--jitter", "-1", "--jitter")]
    [InlineData("--port", "70000", "port")]
    [InlineData("--no-such-option", "1", "no-such-option")]
    [InlineData("--drop-connections-every", "0", "--drop-connections-every")]
    [InlineData("--snapshot-on-exit", "last", "--snapshot-on-exit")]
    public async Task Start_WithABadValue_ExitsWithUsageAndNamesTheSetting(string option, string value, string named)
    {
        using var tool = Start("--in-memory", option, value);

        var exit = await tool.ExitAsync();

        exit.Should().Be(2);
        tool.Errors.Should().Contain(named);
        tool.Output.Should().NotContain("listening", "nothing started");
    }

    [Theory]
    [InlineData("MaxQueuedFramesPerConnection", "0")]
    [InlineData("MaxConnectionsPerIdentity", "0")]
    [InlineData("MaxConnectionsPerAddress", "-1")]
    [InlineData("FrameReadTimeout", "00:00:00")]
    [InlineData("FrameReadTimeout", "soon")]
    public async Task Start_WithAClientLimitOutOfRange_ExitsAndNamesTheSetting(string setting, string value)
    {
        using var tool = Start(new Dictionary<string, string> { ["Emulator__ClientProtocol__" + setting] = value }, "--in-memory");

        var exit = await tool.ExitAsync();

        exit.Should().Be(2);
        tool.Errors.Should().Contain("Emulator:ClientProtocol:" + setting);
        tool.Output.Should().NotContain("listening", "nothing started");
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("soon")]
    public async Task Start_WithABadDropIntervalInConfiguration_ExitsAndNamesTheSetting(string value)
    {
        using var tool = Start(new Dictionary<string, string> { ["Emulator__ClientProtocol__DropConnectionsEvery"] = value }, "--in-memory");

        var exit = await tool.ExitAsync();

        exit.Should().Be(2);
        tool.Errors.Should().Contain("Emulator:ClientProtocol:DropConnectionsEvery");
        tool.Output.Should().NotContain("listening", "nothing started");
    }

    [Fact]
    public async Task Start_WithDropConnectionsEvery_DropsAnInitialisedClientConnectionWithoutACloseFrame()
    {
        var directory = Path.Combine(Path.GetTempPath(), "emulator-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var tool = Start("--port", "0", "--data-dir", directory, "--drop-connections-every", "1");
            var address = new Uri(await tool.AddressAsync());
            var token = await TokenAsync(address, Path.Combine(directory, "emulator-credentials.json"), "alice");

            // The drops keep their own clock, and a network failure may come at any moment: one may cut the connection
            // after its token was accepted and before the init reply reached the client. Then connect again (the next
            // drop is a second away); what is under test is a drop of a connection the client saw initialised.
            TwilsockTestClient? connected = null;
            for (var attempt = 1; connected is null; attempt++)
            {
                try
                {
                    connected = await TwilsockTestClient.ConnectAsync(ConversationsEmulatorServer.TwilsockUriFor(address), token, Ct);
                }
                catch (System.Net.WebSockets.WebSocketException) when (attempt < 5)
                {
                }
            }

            await using var client = connected;
            client.InitReply.StatusCode.Should().Be(200, "the token was accepted: a connection is dropped once initialised");

            // The guard only ends a run that is never dropped (pings would keep it open).
            (await client.Closed.WaitAsync(TimeSpan.FromSeconds(60), Ct)).Should().BeNull(
                "the socket just ends, as in a network failure: no twilsock close frame before it");
            tool.HasExited.Should().BeFalse("only the connection was dropped");
            tool.Output.Should().Contain("all dropped every 1 s");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_WithAClientConnected_OffloadsItAndExitsWellBeforeTheShutdownTimeout()
    {
        var directory = Path.Combine(Path.GetTempPath(), "emulator-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A shutdown timeout of ten minutes, far past the minute ExitAsync waits: a stop that waited for the
            // connection to time out fails the test, however busy the machine, and a stop that does not wait passes.
            using var tool = Start(new Dictionary<string, string> { ["DOTNET_shutdownTimeoutSeconds"] = "600" }, "--port", "0", "--data-dir", directory);
            var address = new Uri(await tool.AddressAsync());
            var token = await TokenAsync(address, Path.Combine(directory, "emulator-credentials.json"), "alice");
            await using (var client = await TwilsockTestClient.ConnectAsync(ConversationsEmulatorServer.TwilsockUriFor(address), token, Ct))
            {
                client.InitReply.StatusCode.Should().Be(200);

                tool.Terminate();

                var close = await client.Closed.WaitAsync(TimeSpan.FromSeconds(60), Ct);
                close.Should().NotBeNull("a stopping emulator moves its clients off as Twilio's edge does, not by cutting their sockets");
                close!.StatusCode.Should().Be(308, "offload: the SDK reconnects at once, to the emulator once it is back");
            } // the client closes its socket, as the SDK does after a close frame

            var exit = await tool.ExitAsync();

            exit.Should().Be(0, "a graceful stop, which did not wait out the shutdown timeout for the connection");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TheToolExportsItsSpans_ContinuingTheCallersTrace_WithoutSecrets()
    {
        await using var collector = await OtlpCollector.StartAsync();
        using var data = new TemporaryDirectory("emulator-tool-otlp-");
        using var tool = Start(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",   // export soon, not every 5 s
        }, "--port", "0", "--data-dir", data.Path);
        var address = new Uri(await tool.AddressAsync());
        var credentials = EmulatorClients.CredentialsIn(data.Path);
        using var http = EmulatorClients.Raw(address, credentials);
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/Conversations") { Content = EmulatorClients.Form(("FriendlyName", "traced")) };
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");

        (await http.SendAsync(request, Ct)).EnsureSuccessStatusCode();

        // OTLP's protobuf holds the trace id as its 16 raw bytes, the names as plain text.
        var traceIdBytes = System.Text.Encoding.Latin1.GetString(Convert.FromHexString(traceId));
        await collector.WaitForAsync("/v1/traces", "conversations-emulator", "Twilio.ChatRooms.Emulator", "POST /v1/Conversations", traceIdBytes);
        collector.Received("/v1/traces").Should().NotContain(credentials.AuthToken).And.NotContain(credentials.ApiKeySecret);
    }

    [Fact]
    public async Task AdminCommands_OnARunningEmulator_SeedSnapshotResetAndRestore_AndSayWhyWhenRefused()
    {
        using var data = new TemporaryDirectory("emulator-tool-admin-");
        using var server = Start("--port", "0", "--data-dir", data.Path);
        var address = new Uri(await server.AddressAsync());
        var rest = EmulatorClients.Twilio(address, EmulatorClients.CredentialsIn(data.Path));
        var seedFile = Path.Combine(data.Path, "seed.yaml");
        await File.WriteAllTextAsync(seedFile, "conversations:\n  - uniqueName: general\n    messages: [ { author: alice, body: hi } ]\n", Ct);
        async Task<(int Exit, string Output, string Errors)> AdminAsync(int port, params string[] args)
        {
            using var tool = Start([.. args, "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", data.Path]);
            var exit = await tool.ExitAsync();
            return (exit, tool.Output, tool.Errors);
        }

        async Task<List<string?>> NamesAsync() => [.. (await ConversationResource.ReadAsync(client: rest)).Select(c => c.UniqueName)];

        var seeded = await AdminAsync(address.Port, "seed", seedFile);
        seeded.Exit.Should().Be(0, seeded.Errors);
        seeded.Output.Should().Contain("created 1 conversations");
        (await NamesAsync()).Should().Equal("general");
        var taken = await AdminAsync(address.Port, "snapshot", "take", "before");
        taken.Exit.Should().Be(0, taken.Errors);
        var again = await AdminAsync(address.Port, "snapshot", "take", "before");
        again.Exit.Should().Be(1);
        again.Errors.Should().Contain("409").And.Contain("exists");
        (await AdminAsync(address.Port, "reset")).Exit.Should().Be(0);
        (await NamesAsync()).Should().BeEmpty();
        var restored = await AdminAsync(address.Port, "snapshot", "restore", "before");
        restored.Exit.Should().Be(0, restored.Errors);
        (await NamesAsync()).Should().Equal("general");
        (await AdminAsync(address.Port, "snapshot", "list")).Output.Should().Contain("before");

        var missing = await AdminAsync(address.Port, "seed", Path.Combine(data.Path, "no-such-seed.yaml"));
        missing.Exit.Should().Be(1);
        missing.Errors.Should().Contain("no-such-seed.yaml").And.NotContain("credentials", "the seed file is what could not be read");
        (await NamesAsync()).Should().Equal("general");

        var nobody = await AdminAsync(NetworkAddresses.FreePort(), "reset");
        nobody.Exit.Should().Be(1);
        nobody.Errors.Should().Contain("no emulator answers");
    }

    [Fact]
    public async Task Start_OnADataDirectoryAnotherProcessHolds_ExitsAndNamesIt()
    {
        var directory = Path.Combine(Path.GetTempPath(), "emulator-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var first = Start("--port", "0", "--data-dir", directory);
            await first.AddressAsync();
            using var second = Start("--port", "0", "--data-dir", directory);

            var exit = await second.ExitAsync();

            exit.Should().Be(1);
            second.Errors.Should().Contain(directory);
            first.HasExited.Should().BeFalse("the first process is unaffected");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Refusals_ShowOnTheConsoleByDefault_OneLineEach_WithoutTheToken()
    {
        var directory = Path.Combine(Path.GetTempPath(), "emulator-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var tool = Start("--port", "0", "--data-dir", directory);
            var address = new Uri(await tool.AddressAsync());
            var twilsock = ConversationsEmulatorServer.TwilsockUriFor(address);

            await using (var refused = await TwilsockTestClient.ConnectAsync(twilsock, "not-a-token", Ct))
            {
                refused.InitReply.StatusCode.Should().NotBe(200);
            }

            var token = await TokenAsync(address, Path.Combine(directory, "emulator-credentials.json"), "alice");
            await using (var alice = await TwilsockTestClient.ConnectAsync(twilsock, token, Ct))
            {
                var configuration = await alice.RequestAsync("GET", "/Client/v2/Configuration", null, Ct);
                var conversations = new Uri((string)configuration.Payload!["links"]!["conversations"]!).AbsolutePath;
                var reply = await alice.RequestAsync("POST", $"{conversations}/CH00000000000000000000000000000000/Messages", new JsonObject { ["body"] = "hi" }, Ct);
                reply.HttpStatus.Should().Be(404, "alice takes part in no such conversation");
            }

            // The tool writes each line as it logs it; the request's reply comes after its line is queued, not written.
            var lines = await tool.OutputLinesAsync(l => l.Contains("Refused client request", StringComparison.Ordinal));
            var refusedToken = lines.Should().ContainSingle(l => l.Contains("twilsock init refused", StringComparison.Ordinal), tool.Output).Subject;
            refusedToken.Should().NotContain("not-a-token", "a token is never logged");
            lines.Should().ContainSingle(l => l.Contains("Refused client request POST", StringComparison.Ordinal)
                && l.Contains("/Messages of alice: 404", StringComparison.Ordinal), tool.Output);
            tool.Output.Should().NotContain(token);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Health_WantsTheEmulatorsCredentials_AsTheReadmeSays()
    {
        var directory = Path.Combine(Path.GetTempPath(), "emulator-tool-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var tool = Start("--port", "0", "--data-dir", directory);
            var health = new Uri(await tool.AddressAsync() + "/health");
            var file = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "emulator-credentials.json"), Ct))!;
            using var http = new HttpClient();

            using (var anonymous = await http.GetAsync(health, Ct))
            {
                ((int)anonymous.StatusCode).Should().Be(401);
                JsonNode.Parse(await anonymous.Content.ReadAsStringAsync(Ct))!["code"]!.GetValue<int>().Should().Be(20003);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, health);
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{(string)file["apiKeySid"]!}:{(string)file["apiKeySecret"]!}")));
            using var authenticated = await http.SendAsync(request, Ct);
            ((int)authenticated.StatusCode).Should().Be(200);
            JsonNode.Parse(await authenticated.Content.ReadAsStringAsync(Ct))!["status"]!.GetValue<string>().Should().Be("healthy");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task EmulatorReadme_NamesEveryOptionOfTheToolsParser_AndNoOther()
    {
        using var tool = Start("--help");
        (await tool.ExitAsync()).Should().Be(0);
        var parsed = OptionName().Matches(tool.Output).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        parsed.Should().Contain(["--port", "--data-dir", "--in-memory"], "the help lists the options: " + tool.Output);

        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "Twilio.ChatRooms.Emulator", "README.md"), Ct);
        var table = readme.Split('\n').SkipWhile(l => !l.StartsWith("| option |", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith('|')).ToList();
        var documented = table.SelectMany(l => OptionName().Matches(l.Split('|')[1]).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        documented.Should().BeEquivalentTo(parsed, "the README's table of options is the tool's");
        // The commands for a running emulator have options of their own (the README shows them beside those commands).
        using var take = Start("snapshot", "take", "--help");
        (await take.ExitAsync()).Should().Be(0);
        var ofCommands = OptionName().Matches(take.Output).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        ofCommands.Should().Contain("--replace", "the help lists the command's options: " + take.Output);
        var named = OptionName().Matches(readme).Select(m => m.Value).Where(o => o.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        named.Except(parsed).Except(ofCommands).Where(o => !NotToolOptions.Contains(o)).Should().BeEmpty("every option the README names for the tool exists");
    }

    /// <summary>Options of other commands the emulator README shows (curl, dotnet).</summary>
    private static readonly HashSet<string> NotToolOptions = new(StringComparer.Ordinal) { "--project", "--add-source", "--data-urlencode", "--data-binary" };

    [GeneratedRegex(@"(?<![\w-])--?[a-z?][a-z0-9-]*")]
    private static partial Regex OptionName();

    private static string RepositoryRoot()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        return bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
    }

    /// <summary>An access token from the library, signed with the credentials the tool wrote to its data directory.</summary>
    private static async Task<string> TokenAsync(Uri address, string credentialsFile, string identity)
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(credentialsFile, Ct))!;
        var credentials = new EmulatorCredentials(
            (string)file["accountSid"]!, (string)file["authToken"]!, (string)file["apiKeySid"]!, (string)file["apiKeySecret"]!);
        await using var library = EmulatorBackedLibrary.Create(address, credentials);
        return await library.TokenAsync(identity);
    }

    [Fact]
    public async Task Start_WithVerbose_PrintsALinePerWebhookDelivery()
    {
        var directory = Directory.CreateTempSubdirectory("emulator-verbose-").FullName;
        try
        {
            using var tool = Start("--port", "0", "--data-dir", directory, "--verbose");
            var address = await tool.AddressAsync();
            var credentials = System.Text.Json.JsonSerializer.Deserialize<EmulatorCredentials>(
                await File.ReadAllTextAsync(Path.Combine(directory, EmulatorCredentials.FileName), Ct), CredentialsJson)!;
            await using var receiver = await Twilio.ChatRooms.TestSupport.WebhookReceiver.StartAsync(credentials.AuthToken, Ct);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
            async Task PostAsync(string path, bool webhooks, params (string Key, string Value)[] fields)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address + path))
                {
                    Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
                };
                if (webhooks)
                {
                    request.Headers.Add("X-Twilio-Webhook-Enabled", "true");
                }

                using var response = await http.SendAsync(request, Ct);
                response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync(Ct));
            }

            await PostAsync("/v1/Configuration/Webhooks", false, ("PostWebhookUrl", receiver.Url), ("Filters", "onConversationAdded"));
            await PostAsync("/v1/Conversations", true, ("FriendlyName", "logged"));
            (await receiver.NextAsync(_ => true, Ct)).SignatureValid.Should().BeTrue();

            var line = $"Webhook onConversationAdded POST {receiver.Url}: delivered (200)";
            while (!tool.Output.Contains(line, StringComparison.Ordinal))
            {
                tool.HasExited.Should().BeFalse(tool.Errors);
                await Task.Delay(50, Ct);   // the line follows the answer; the test's own timeout bounds the wait
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions CredentialsJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static ToolProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    private static ToolProcess Start(Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(ToolPath());
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return new ToolProcess(Process.Start(info)!);
    }

    /// <summary>The tool's build beside this test assembly's (same configuration).</summary>
    private static string ToolPath()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory); // .../tests/ClientProtocol.Tests/bin/<Configuration>/net10.0/
        var configuration = bin.Parent!.Name;
        var root = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "Twilio.ChatRooms.Emulator.Tool", "bin", configuration, "net10.0", "conversations-emulator.dll");
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+/emulator)")]
    private static partial Regex ListeningLine();

    private sealed class ToolProcess : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();
        private readonly System.Text.StringBuilder _errors = new();
        private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ToolProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    _address.TrySetException(new InvalidOperationException("The tool ended without listening: " + Errors));
                    return;
                }

                lock (_output)
                {
                    _output.AppendLine(e.Data);
                }

                if (ListeningLine().Match(e.Data) is { Success: true } m)
                {
                    _address.TrySetResult(m.Groups[1].Value);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output { get { lock (_output) { return _output.ToString(); } } }

        public string Errors { get { lock (_errors) { return _errors.ToString(); } } }

        public bool HasExited => _process.HasExited;

        /// <summary>The tool's lines once one matches <paramref name="until"/> (or it ends: then what it wrote).</summary>
        public async Task<IReadOnlyList<string>> OutputLinesAsync(Func<string, bool> until)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60)); // a guard on a hang only: the line is written as the request is refused
            while (!Output.Split('\n').Any(until) && !_process.HasExited)
            {
                await Task.Delay(50, timeout.Token);
            }

            return Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        }

        /// <summary>Sends SIGTERM, what a service manager or a container runtime sends to stop a process gracefully.</summary>
        public void Terminate()
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
            kill.WaitForExit();
            kill.ExitCode.Should().Be(0, "the signal was delivered");
        }

        public Task<string> AddressAsync() => _address.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        public async Task<int> ExitAsync()
        {
            await _process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            _process.WaitForExit(); // flushes the redirected streams
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
