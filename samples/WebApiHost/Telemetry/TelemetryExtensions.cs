using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WebApiHost.Telemetry;

/// <summary>
/// OpenTelemetry, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (as the Aspire dashboard sets it
/// for the projects it starts), and nothing at all otherwise: the host's, the library's and the emulator's sources and
/// meters, ASP.NET Core's and the HTTP client's, so that a message's path is one trace from the host's request through
/// the library and the emulator to its subscribers and webhooks.
/// </summary>
internal static class TelemetryExtensions
{
    /// <summary>The standard variable that turns export on (with the other <c>OTEL_*</c> variables the exporter reads).</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The sources and meters: the host's, the library's (<c>Twilio.ChatRooms</c>) and the emulator's.</summary>
    public static readonly string[] Names = [HostTelemetry.Name, "Twilio.ChatRooms", "Twilio.ChatRooms.Emulator"];

    public static void AddChatTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointVariable]))
        {
            return;
        }

        // Query strings stay redacted (the instrumentations' default): a webhook GET carries its payload there, and a
        // media link its token.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .AddSource(Names)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(Names)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
    }
}
