using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace WebApiHost.Tests;

/// <summary>
/// The host exports traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to a collector on a
/// real port (OTLP/HTTP, protobuf): the library's and the emulator's spans and the emulator's metrics among them, and
/// none of the secrets or bodies the chat carried. Without the variable, no OpenTelemetry at all.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task WithAnOtlpEndpoint_TheHostExportsTheLibrarysAndTheEmulatorsTelemetry_WithoutSecretsOrBodies()
    {
        await using var collector = await OtlpCollector.StartAsync();
        string[] secrets;
        var factory = new ChatHostFactory
        {
            UsernameOnly = true,
            Settings = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",        // export soon, not every 5 s and 60 s
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            },
        };
        await using (factory)
        {
            factory.Services.GetService<TracerProvider>().Should().NotBeNull();
            var alice = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("alice"));
            var bob = await SignedInUser.LogInAsync(factory, SignedInUser.NewName("bob"));
            using var started = await alice.PostAsync("/private-conversations", new { with = bob.Identity });
            var sid = (await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
            await using var alices = await HostTwilsock.ConnectAsync(factory, alice, Ct);
            await alices.Client.SubscribeAsync([sid + ".messages"], Ct);
            var body = "a body no exporter may see " + Guid.NewGuid().ToString("N");
            (await alices.SendAsync(sid, body, Ct)).HttpStatus.Should().Be(200);
            secrets = [body, alice.Token, bob.Token, factory.EmulatorCredentials.AuthToken, factory.EmulatorCredentials.ApiKeySecret];

            // The library's calls, the emulator's REST and twilsock requests and the fan-out are exported as spans, the
            // emulator's metrics as metrics.
            await collector.WaitForAsync("/v1/traces", "Twilio.ChatRooms.Emulator", "POST /v1/Services/{id}/Conversations",
                "POST /v1/Services/{service}/Conversations", "twilsock POST /Client/v2/Services/{id}/Conversations/{id}/Messages", $"send {sid}");
            await collector.WaitForAsync("/v1/metrics", "chatrooms.emulator.twilsock.connections", "chatrooms.emulator.store.commit.duration",
                "chatrooms.twilio.request.duration");
        }

        var traces = collector.Received("/v1/traces");
        var metrics = collector.Received("/v1/metrics");
        foreach (var secret in secrets)
        {
            traces.Should().NotContain(secret);
            metrics.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task WithoutAnOtlpEndpoint_TheHostRegistersNoOpenTelemetry()
    {
        await using var factory = new ChatHostFactory { UsernameOnly = true };
        factory.Services.GetService<TracerProvider>().Should().BeNull();
        factory.Services.GetService<MeterProvider>().Should().BeNull();
    }
}
