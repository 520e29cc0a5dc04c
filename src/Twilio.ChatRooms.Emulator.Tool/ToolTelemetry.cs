using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Twilio.ChatRooms.Emulator.Tool;

/// <summary>
/// The emulator's traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (as Aspire sets it for
/// the resources it starts), nothing otherwise: its own source and meter, and ASP.NET Core's, whose request span
/// continues the caller's <c>traceparent</c>, so a message sent by a host in another process is one trace with the
/// emulator's REST span, its fan-out and its webhooks.
/// </summary>
internal static class ToolTelemetry
{
    private const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string Name = "Twilio.ChatRooms.Emulator";

    public static void AddEmulatorTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointVariable]))
        {
            return;
        }

        // Query strings stay redacted (the instrumentation's default): a media link carries its token there.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("conversations-emulator"))
            .WithTracing(tracing => tracing.AddSource(Name).AddAspNetCoreInstrumentation().AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddMeter(Name).AddAspNetCoreInstrumentation().AddOtlpExporter());
    }
}
