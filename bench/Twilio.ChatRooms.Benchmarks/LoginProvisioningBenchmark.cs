using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;
using Twilio.Clients;
using Twilio.Http;
using ConversationResource = Twilio.Rest.Conversations.V1.ConversationResource;
using ParticipantResource = Twilio.Rest.Conversations.V1.Conversation.ParticipantResource;
using RoleResource = Twilio.Rest.Conversations.V1.RoleResource;
using UserResource = Twilio.Rest.Conversations.V1.UserResource;

namespace Twilio.ChatRooms.Benchmarks;

/// <summary>
/// Login cost against room count: our provisioner against the tutorial's algorithm, written here on the same SDK and
/// the same emulator, which adds 100 ms (±10%) to every REST request like a trip to Twilio.
/// </summary>
internal static class LoginProvisioningBenchmark
{
    public static async Task<string> RunAsync(bool quick)
    {
        int[] roomCounts = quick ? [1, 10, 50] : [1, 10, 50, 200];
        var repetitions = quick ? 1 : 3;

        await using var server = await ConversationsEmulatorServer.StartAsync();
        await using var provider = EmulatorBackedLibrary.Create(server);
        var provisioner = provider.GetRequiredService<IParticipantProvisioner>();
        var admin = provider.GetRequiredService<IChatRoomAdmin>();
        var tutorialClient = TutorialClient(server);

        var role = await provisioner.EnsureParticipantRoleAsync();
        await provisioner.ProvisionAsync("warm-up");          // fills the service and role caches, as in a running host
        await TutorialLoginAsync(tutorialClient, "warm-up-tutorial", role.RoleName);   // JIT and connections, both sides

        var table = new StringBuilder()
            .AppendLine("## Login provisioning against room count (100 ms ±10% per REST request)")
            .AppendLine()
            .AppendLine("| rooms | user | tutorial (ms) | Twilio.ChatRooms (ms) | speed-up |")
            .AppendLine("| ---: | --- | ---: | ---: | ---: |");
        var created = 0;
        foreach (var k in roomCounts)
        {
            while (created < k)
            {
                await admin.CreateRoomAsync($"bench-room-{created++:D4}");
            }

            server.Faults.Latency = TimeSpan.FromMilliseconds(100);
            server.Faults.LatencyJitter = 0.1;
            var ours = new List<double>();
            var tutorialNew = new List<double>();
            var oursReturning = new List<double>();
            var tutorialReturning = new List<double>();
            for (var i = 0; i < repetitions; i++)
            {
                var a = $"ours-{k}-{i}";
                var b = $"tutorial-{k}-{i}";
                ours.Add(await TimeAsync(() => provisioner.ProvisionAsync(a)));
                tutorialNew.Add(await TimeAsync(() => TutorialLoginAsync(tutorialClient, b, role.RoleName)));
                oursReturning.Add(await TimeAsync(() => provisioner.ProvisionAsync(a)));
                tutorialReturning.Add(await TimeAsync(() => TutorialLoginAsync(tutorialClient, b, role.RoleName)));
            }

            server.Faults.Latency = TimeSpan.Zero;
            Row(table, k, "new", tutorialNew, ours);
            Row(table, k, "returning", tutorialReturning, oursReturning);
        }

        table.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Median of {repetitions} run(s) per cell. The tutorial's algorithm lists roles, creates the user, lists the ")
            .AppendLine("rooms and adds the user to each room in turn (N+3 sequential requests). Ours reads the role once, creates ")
            .AppendLine("the user while listing rooms, reads a returning user's memberships in one paged call and adds missing ")
            .AppendLine("rooms 8 at a time.");
        return table.ToString();
    }

    /// <summary>The tutorial's login, step for step, on the SDK's default-service resources.</summary>
    private static async Task TutorialLoginAsync(ITwilioRestClient client, string identity, string roleName)
    {
        var roles = await RoleResource.ReadAsync(client: client);
        var roleSid = roles.First(r => r.FriendlyName == roleName).Sid;
        try
        {
            await UserResource.CreateAsync(identity, roleSid: roleSid, client: client);
        }
        catch (Twilio.Exceptions.ApiException e) when (e.Status == 409)
        {
        }

        foreach (var conversation in await ConversationResource.ReadAsync(client: client))
        {
            try
            {
                await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);
            }
            catch (Twilio.Exceptions.ApiException e) when (e.Status == 409)
            {
            }
        }
    }

    private static TwilioRestClient TutorialClient(ConversationsEmulatorServer server)
    {
        var handler = new RedirectToEmulatorHandler(server.BaseAddress) { InnerHandler = new HttpClientHandler() };
        return new TwilioRestClient(server.Credentials.AccountSid, server.Credentials.AuthToken,
            httpClient: new SystemNetHttpClient(new System.Net.Http.HttpClient(handler)));
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Row(StringBuilder table, int rooms, string user, List<double> tutorial, List<double> ours)
    {
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var t = Median(tutorial);
        var o = Median(ours);
        table.AppendLine(CultureInfo.InvariantCulture, $"| {rooms} | {user} | {t:F0} | {o:F0} | {t / o:F1}× |");
    }

    /// <summary>Sends the SDK's requests for conversations.twilio.com to the emulator.</summary>
    private sealed class RedirectToEmulatorHandler(Uri baseAddress) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && uri.Host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase))
            {
                request.RequestUri = new Uri(baseAddress.ToString().TrimEnd('/') + uri.PathAndQuery);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
