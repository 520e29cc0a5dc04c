// The chat sample under Aspire: `dotnet run --project samples/AppHost`, then open the dashboard it prints. The emulator
// runs as its own resource (its state in samples/AppHost/.conversations-emulator/chat); the web host gets its addresses
// and credentials through WithReference and starts once the emulator is healthy.
using System.Reflection;

var builder = DistributedApplication.CreateBuilder(args);

// This repository's build of the tool; elsewhere, leave toolPath out to run an installed conversations-emulator.
var toolPath = builder.Configuration["EmulatorToolPath"]
    ?? typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "EmulatorToolPath").Value;

// Its state in samples/AppHost/.conversations-emulator/chat, or the folder EmulatorDataDirectory names.
var chat = builder.AddTwilioConversationsEmulator("chat", toolPath: toolPath)
    .WithDataDirectory(builder.Configuration["EmulatorDataDirectory"]);

var web = builder.AddProject<Projects.WebApiHost>("web")
    .WithReference(chat)
    .WaitFor(chat)
    .WithExternalHttpEndpoints();
// The host's appsettings.json names its own URL (http://localhost:5000); Aspire's port wins as an environment variable.
var http = web.GetEndpoint("http");
web.WithEnvironment("Urls", ReferenceExpression.Create($"http://localhost:{http.Property(EndpointProperty.TargetPort)}"));

builder.Build().Run();

/// <summary>The app host's entry point, for Aspire.Hosting.Testing.</summary>
public partial class Program;
