using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace Twilio.ChatRooms.Aspire.Hosting.Tests;

/// <summary>
/// The resource <c>AddTwilioConversationsEmulator</c> adds, read from Aspire's application model without the
/// orchestrator: what it runs, what a referencing project gets; then its health check and dashboard commands against
/// a real <c>conversations-emulator</c> process started exactly as the model says (command, arguments, environment).
/// </summary>
public sealed class EmulatorResourceTests
{
    [Fact]
    public async Task AddTwilioConversationsEmulator_RunsTheBuiltToolInMemoryOnTheEndpointsPortWithGeneratedCredentials()
    {
        var (builder, chat, port) = Modelled();
        await using var app = builder.Build();

        var args = await ArgsAsync(app, chat.Resource);
        var env = await EnvAsync(app, chat.Resource);

        chat.Resource.Command.Should().Be("dotnet");
        args.Should().Equal(EmulatorTool.AssemblyPath, "--in-memory");
        var endpoint = chat.Resource.Annotations.OfType<EndpointAnnotation>().Should().ContainSingle().Subject;
        (endpoint.Name, endpoint.UriScheme, endpoint.Port).Should().Be(("http", "http", port));
        env["Emulator__Port"].Should().Be(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        env["Emulator__PublicAddress"].Should().Be($"http://localhost:{port}");
        env["Emulator__Credentials__AccountSid"].Should().MatchRegex("^AC[0-9]{32}$");
        env["Emulator__Credentials__ApiKeySid"].Should().MatchRegex("^SK[0-9]{32}$");
        env["Emulator__Credentials__AuthToken"].Should().MatchRegex("^[A-Za-z0-9]{48}$");
        env["Emulator__Credentials__ApiKeySecret"].Should().MatchRegex("^[A-Za-z0-9]{48}$")
            .And.NotBe(env["Emulator__Credentials__AuthToken"]);
        chat.Resource.AuthToken.Secret.Should().BeTrue("the dashboard hides it");
        chat.Resource.ApiKeySecret.Secret.Should().BeTrue();
    }

    [Fact]
    public async Task WithDataDirectory_KeepsTheStateInAFolderBesideTheAppHostOrTheOneNamed()
    {
        var builder = NewBuilder();
        var byDefault = builder.AddTwilioConversationsEmulator("chat", toolPath: EmulatorTool.AssemblyPath).WithDataDirectory();
        var named = builder.AddTwilioConversationsEmulator("other", toolPath: EmulatorTool.AssemblyPath).WithDataDirectory("state/x");
        await using var app = builder.Build();

        (await ArgsAsync(app, byDefault.Resource)).Should().Equal(
            EmulatorTool.AssemblyPath, "--data-dir", Path.Combine(builder.AppHostDirectory, ".conversations-emulator", "chat"));
        (await ArgsAsync(app, named.Resource)).Should().Equal(
            EmulatorTool.AssemblyPath, "--data-dir", Path.Combine(builder.AppHostDirectory, "state", "x"));
    }

    [Fact]
    public void AddTwilioConversationsEmulator_WithoutAToolPath_RunsTheInstalledTool()
    {
        var builder = NewBuilder();

        var chat = builder.AddTwilioConversationsEmulator("chat");

        chat.Resource.Command.Should().Be("conversations-emulator");
    }

    [Fact]
    public async Task WithReference_GivesTheProjectTheLibrarysOptionsWhichTheLibraryAccepts()
    {
        var (builder, chat, port) = Modelled();
        var web = builder.AddExecutable("web", "true", ".").WithReference(chat);
        await using var app = builder.Build();

        var emulatorEnv = await EnvAsync(app, chat.Resource);
        var env = await EnvAsync(app, web.Resource);

        env["Twilio__AccountSid"].Should().Be(emulatorEnv["Emulator__Credentials__AccountSid"]);
        env["Twilio__AuthToken"].Should().Be(emulatorEnv["Emulator__Credentials__AuthToken"]);
        env["Twilio__ApiKeySid"].Should().Be(emulatorEnv["Emulator__Credentials__ApiKeySid"]);
        env["Twilio__ApiKeySecret"].Should().Be(emulatorEnv["Emulator__Credentials__ApiKeySecret"]);
        env["Twilio__BaseAddress"].Should().Be($"http://localhost:{port}/emulator");
        env["Twilio__TwilsockUri"].Should().Be($"ws://localhost:{port}/emulator/twilsock");
        env["services__chat__http__0"].Should().Be($"http://localhost:{port}");

        // The library binds them as a project would (environment variables, Section__Key) and its validation passes.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            env.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value))).Build();
        var collection = new ServiceCollection().AddLogging();
        collection.AddTwilioChatRooms(configuration.GetSection("Twilio"));
        using var services = collection.BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value;
        options.BaseAddress.Should().Be(new Uri($"http://localhost:{port}/emulator"));
        options.AccountSid.Should().Be(env["Twilio__AccountSid"]);
    }

    [Fact]
    public async Task WithReference_IntoAnotherSection_UsesThatSectionsKeys()
    {
        var builder = NewBuilder();
        var chat = builder.AddTwilioConversationsEmulator("chat", port: 4999, toolPath: EmulatorTool.AssemblyPath);
        var web = builder.AddExecutable("web", "true", ".").WithReference(chat, section: "Chat:Twilio");
        Allocate(chat.Resource, 4999);
        await using var app = builder.Build();

        var env = await EnvAsync(app, web.Resource);

        env.Keys.Should().Contain(["Chat__Twilio__AccountSid", "Chat__Twilio__BaseAddress", "Chat__Twilio__TwilsockUri"])
            .And.NotContain("Twilio__AccountSid");
    }

    [Fact]
    public async Task HealthCheck_IsHealthyWhileTheEmulatorAnswersAndUnhealthyOnceItStops()
    {
        var (builder, chat, port) = Modelled();
        await using var app = builder.Build();
        var key = chat.Resource.Annotations.OfType<HealthCheckAnnotation>().Should().ContainSingle().Subject.Key;
        var registration = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Name == key);
        var check = registration.Factory(app.Services);

        await using (var _ = await StartAsModelledAsync(app, chat.Resource))
        {
            var healthy = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, Ct);
            healthy.Status.Should().Be(HealthStatus.Healthy, healthy.Description);
        }

        var stopped = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, Ct);
        stopped.Status.Should().Be(HealthStatus.Unhealthy);
        stopped.Description.Should().Contain("chat does not answer");
    }

    [Fact]
    public async Task HealthCheck_WithOtherCredentialsThanTheEmulators_IsUnhealthyNamingThe401()
    {
        var (builder, chat, port) = Modelled();
        await using var app = builder.Build();
        var key = chat.Resource.Annotations.OfType<HealthCheckAnnotation>().Single().Key;
        var registration = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Name == key);

        // The same port, but an emulator that generated its own credentials: the check's are wrong there.
        await using var other = await StartAsModelledAsync(app, chat.Resource, withoutCredentials: true);
        var result = await registration.Factory(app.Services).CheckHealthAsync(new HealthCheckContext { Registration = registration }, Ct);

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("answered 401");
    }

    [Fact]
    public async Task Commands_ResetSeedAndInspector_AreOnTheResourceAndActOnTheRunningEmulator()
    {
        var (builder, chat, port) = Modelled();
        await using var app = builder.Build();
        var commands = chat.Resource.Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name);
        commands.Keys.Should().Contain(["reset", "seed", "inspector"]);
        commands["reset"].ConfirmationMessage.Should().NotBeNullOrEmpty("a reset loses data");
        commands["seed"].Arguments.Should().ContainSingle(a => a.Name == "file" && a.Required);

        await using var emulator = await StartAsModelledAsync(app, chat.Resource);
        using var rest = await RestClientAsync(chat.Resource, port);
        var seedFile = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seedFile, """
            { "users": [ { "identity": "alice" } ],
              "conversations": [ { "uniqueName": "general", "participants": [ { "identity": "alice" } ],
                                   "messages": [ { "author": "alice", "body": "Welcome" } ] } ] }
            """, Ct);
        try
        {
            var seeded = await commands["seed"].ExecuteCommand(Context(app, ("file", seedFile)));
            seeded.Success.Should().BeTrue(seeded.Message);
            (await UniqueNamesAsync(rest)).Should().Equal("general");
            // The URLs it writes name the address Aspire gives clients (Emulator__PublicAddress: localhost), not its own bind (127.0.0.1).
            var listed = JsonNode.Parse(await rest.GetStringAsync(new Uri("v1/Conversations", UriKind.Relative), Ct))!;
            listed["conversations"]![0]!["url"]!.GetValue<string>().Should().StartWith($"http://localhost:{port}/emulator/v1/Conversations/CH");

            var reset = await commands["reset"].ExecuteCommand(Context(app));
            reset.Success.Should().BeTrue(reset.Message);
            (await UniqueNamesAsync(rest)).Should().BeEmpty();
            JsonNode.Parse(reset.Data!.Value)!["removed"]!["conversations"]!.GetValue<int>().Should().Be(1);

            var inspector = await commands["inspector"].ExecuteCommand(Context(app));
            inspector.Success.Should().BeTrue(inspector.Message);
            inspector.Data!.Format.Should().Be(CommandResultFormat.Markdown);
            inspector.Data.Value.Should().Contain($"http://localhost:{port}/emulator/inspector")
                .And.Contain(await chat.Resource.AccountSid.GetValueAsync(Ct))
                .And.Contain(chat.Resource.AuthToken.Name, "it names where the password is")
                .And.NotContain(await chat.Resource.AuthToken.GetValueAsync(Ct), "a secret is never shown in a command's result");
            using var page = await rest.GetAsync(new Uri($"http://localhost:{port}/emulator/inspector"), Ct);
            page.StatusCode.Should().Be(HttpStatusCode.OK, "the address and credentials it shows open the inspector");
        }
        finally
        {
            File.Delete(seedFile);
        }
    }

    [Fact]
    public async Task SeedCommand_WithASeedTheEmulatorRefusesOrNoFile_FailsSayingWhyAndChangesNothing()
    {
        var (builder, chat, port) = Modelled();
        await using var app = builder.Build();
        var seed = chat.Resource.Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == "seed");
        await using var emulator = await StartAsModelledAsync(app, chat.Resource);
        using var rest = await RestClientAsync(chat.Resource, port);
        var seedFile = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seedFile, """{ "conversations": [ { "uniqueName": "a" }, { "uniqueName": "b", "messages": [ { "author": "x" } ] } ] }""", Ct);
        try
        {
            var refused = await seed.ExecuteCommand(Context(app, ("file", seedFile)));
            var missing = await seed.ExecuteCommand(Context(app, ("file", seedFile + ".absent")));

            refused.Success.Should().BeFalse();
            refused.Message.Should().Contain("(400)").And.Contain("conversations[1].messages[0]");
            missing.Success.Should().BeFalse();
            missing.Message.Should().Contain("Cannot read").And.Contain(".absent");
            (await UniqueNamesAsync(rest)).Should().BeEmpty("a refused seed changes nothing");
        }
        finally
        {
            File.Delete(seedFile);
        }
    }

    [Fact]
    public async Task Tool_WithPartOfTheCredentials_ExitsWithUsageNamingTheMissingKeys()
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { EmulatorTool.AssemblyPath, "--in-memory", "--port", "0" } };
        start.Environment["Emulator__Credentials__AccountSid"] = "AC" + new string('1', 32);
        start.Environment["Emulator__Credentials__AuthToken"] = "token";
        await using var tool = ChildProcess.Start(start);

        var exit = await tool.WaitForExitAsync(ChildProcess.HangGuard, Ct);

        exit.Should().Be(2);
        tool.Printed.Should().Contain("Emulator:Credentials:ApiKeySid").And.Contain("Emulator:Credentials:ApiKeySecret")
            .And.NotContain("listening");
    }

    /// <summary>
    /// An empty model, in run mode, without the dashboard, its app host folder this test's output folder. (Aspire's
    /// testing builder wants an app host project behind it: AppHostTests uses it on samples/AppHost.)
    /// </summary>
    private static IDistributedApplicationBuilder NewBuilder() => DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        Args = [],
        DisableDashboard = true,
        ProjectDirectory = AppContext.BaseDirectory,
    });

    /// <summary>An empty model with the emulator resource <c>chat</c> on a free port, allocated as DCP would.</summary>
    private static (IDistributedApplicationBuilder Builder, IResourceBuilder<TwilioConversationsEmulatorResource> Chat, int Port) Modelled()
    {
        var port = NetworkAddresses.FreePort();
        var builder = NewBuilder();
        var chat = builder.AddTwilioConversationsEmulator("chat", port: port, toolPath: EmulatorTool.AssemblyPath);
        Allocate(chat.Resource, port);
        return (builder, chat, port);
    }

    /// <summary>What DCP does once it has a port: the endpoint allocated on <paramref name="port"/>, the process listening there itself.</summary>
    private static void Allocate(TwilioConversationsEmulatorResource resource, int port)
    {
        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.TargetPort = port;
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
    }

    /// <summary>Starts the resource's command with its arguments and environment as the model evaluates them; waits until it listens.</summary>
    private static async Task<ChildProcess> StartAsModelledAsync(DistributedApplication app, TwilioConversationsEmulatorResource resource, bool withoutCredentials = false)
    {
        var start = new ProcessStartInfo(resource.Command) { WorkingDirectory = resource.WorkingDirectory };
        foreach (var arg in await ArgsAsync(app, resource))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in await EnvAsync(app, resource))
        {
            if (!(withoutCredentials && key.StartsWith("Emulator__Credentials__", StringComparison.Ordinal)))
            {
                start.Environment[key] = value;
            }
        }

        var process = ChildProcess.Start(start);
        await process.WaitForLineAsync(line => line.Contains("listening on", StringComparison.Ordinal), ChildProcess.HangGuard, Ct);
        return process;
    }

    /// <summary>The arguments the orchestrator would pass, as the model evaluates them in run mode.</summary>
    private static async Task<List<string>> ArgsAsync(DistributedApplication app, IResource resource) =>
        [.. (await ConfigurationAsync(app, ExecutionConfigurationBuilder.Create(resource).WithArgumentsConfig())).Arguments.Select(a => a.Value)];

    /// <summary>The environment the orchestrator would set, as the model evaluates it in run mode.</summary>
    private static async Task<Dictionary<string, string>> EnvAsync(DistributedApplication app, IResource resource) =>
        (await ConfigurationAsync(app, ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig())).EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>
    /// Evaluated in the built app's own execution context (run mode), as the orchestrator evaluates it. (The environment
    /// waits, as it does under the orchestrator, until the endpoint is allocated: see <see cref="Allocate"/>.)
    /// </summary>
    private static async Task<IExecutionConfigurationResult> ConfigurationAsync(DistributedApplication app, IExecutionConfigurationBuilder configuration)
    {
        var result = await configuration.BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, Ct);
        return result.Exception is null ? result : throw new InvalidOperationException("The model could not be evaluated.", result.Exception);
    }

    private static async Task<HttpClient> RestClientAsync(TwilioConversationsEmulatorResource resource, int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/emulator/") };
        var basic = await resource.AccountSid.GetValueAsync(Ct) + ":" + await resource.AuthToken.GetValueAsync(Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        return http;
    }

    private static async Task<List<string>> UniqueNamesAsync(HttpClient rest)
    {
        var page = JsonNode.Parse(await rest.GetStringAsync(new Uri("v1/Conversations", UriKind.Relative), Ct))!;
        return [.. page["conversations"]!.AsArray().Select(c => c!["unique_name"]!.GetValue<string>())];
    }

    private static ExecuteCommandContext Context(DistributedApplication app, params (string Name, string Value)[] arguments) => new()
    {
        Services = app.Services,
        ResourceName = "chat",
        CancellationToken = Ct,
        Logger = NullLogger.Instance,
        Arguments = new InteractionInputCollection([.. arguments.Select(a => new InteractionInput { Name = a.Name, InputType = InputType.Text, Value = a.Value })]),
    };
}
