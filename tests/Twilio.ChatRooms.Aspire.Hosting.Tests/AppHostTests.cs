using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Aspire.Hosting.Tests;

/// <summary>
/// samples/AppHost run by Aspire's orchestrator (DCP, from the Aspire.Hosting.Orchestration package), dashboard off:
/// the emulator resource becomes healthy, the web host starts after it with what WithReference gave it, and a
/// dashboard command reaches the emulator.
/// </summary>
public sealed class AppHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("apphost-").FullName;

    [Fact(Timeout = 300_000)]   // a bound on a hang (a resource that never becomes healthy), not on speed
    public async Task AppHost_StartsTheEmulatorHealthyAndTheWebHostOnIt()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            ["EmulatorDataDirectory=" + Path.Combine(_directory, "emulator"), "DcpPublisher:RandomizePorts=true"], TestContext.Current.CancellationToken);
        // The web host's accounts in this test's folder, not beside the sample.
        appHost.CreateResourceBuilder<ProjectResource>("web")
            .WithEnvironment("ConnectionStrings__Accounts", "Data Source=" + Path.Combine(_directory, "accounts.db"));
        await using var app = await appHost.BuildAsync(Ct);
        await app.StartAsync(Ct);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("chat", Ct);
        await app.ResourceNotifications.WaitForResourceAsync("web", KnownResourceStates.Running, Ct);

        // The web host's /health lists rooms through the library, with the address and credentials WithReference gave it.
        using var web = app.CreateHttpClient("web");
        var (health, policy) = await PollHealthAsync(web);
        health["backend"]!.GetValue<string>().Should().Be("emulator");

        // The rooms it seeded are in the emulator the resource runs.
        var chat = (TwilioConversationsEmulatorResource)app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "chat");
        using var rest = new HttpClient();
        var basic = await chat.AccountSid.GetValueAsync(Ct) + ":" + await chat.AuthToken.GetValueAsync(Ct);
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        var restAddress = await chat.RestAddress.GetValueAsync(Ct);
        var rooms = JsonNode.Parse(await rest.GetStringAsync(new Uri(restAddress + "/v1/Conversations"), Ct))!["conversations"]!.AsArray();
        rooms.Select(r => r!["unique_name"]!.GetValue<string>()).Should().Contain(["general", "random"]);
        // The browser may reach that emulator: its REST and media origin and its twilsock are in the host's CSP.
        var emulatorAddress = new Uri(restAddress!);
        var origin = emulatorAddress.GetLeftPart(UriPartial.Authority);
        policy.Should().Contain($"connect-src 'self' {origin} ws://{emulatorAddress.Authority}");

        // The dashboard's reset, through Aspire's command service, empties it.
        var reset = await app.ResourceCommands.ExecuteCommandAsync("chat", "reset", Ct);
        reset.Success.Should().BeTrue(reset.Message);
        JsonNode.Parse(await rest.GetStringAsync(new Uri(restAddress + "/v1/Conversations"), Ct))!["conversations"]!.AsArray().Should().BeEmpty();
    }

    /// <summary>The web host's /health until it answers 200 (it waits for its starter rooms first): its body and CSP.</summary>
    private static async Task<(JsonNode Body, string Policy)> PollHealthAsync(HttpClient web)
    {
        while (true)
        {
            Ct.ThrowIfCancellationRequested();
            try
            {
                using var response = await web.GetAsync(new Uri("/health", UriKind.Relative), Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (JsonNode.Parse(body)!, response.Headers.GetValues("Content-Security-Policy").Single());
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
