using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Healthy when the emulator's <c>{prefix}/health</c> answers 200 to its own credentials (it wants them, like every
/// path under the prefix): the store makes writes durable. Its 503 says why, and that is the description shown.
/// </summary>
internal sealed class EmulatorHealthCheck(TwilioConversationsEmulatorResource emulator, HttpClient http) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!emulator.HttpEndpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("The emulator's endpoint is not allocated yet.");
        }

        try
        {
            var admin = await emulator.AdminClientAsync(http, cancellationToken).ConfigureAwait(false);
            var answer = await admin.HealthAsync(cancellationToken).ConfigureAwait(false);
            return answer.Succeeded
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{emulator.Name}/health answered {answer.Status}: {answer.ErrorMessage ?? answer.Body}");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Unhealthy($"{emulator.Name} does not answer: {e.Message}");
        }
    }
}
