using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Emulator.Hosting;

/// <summary>
/// Drops every client connection each <see cref="ClientProtocolOptions.DropConnectionsEvery"/>, when it is set, so that
/// a developer sees their front end reconnect without writing code for it.
/// </summary>
internal sealed class PeriodicConnectionDrops(IOptions<ConversationsEmulatorOptions> options, EmulatorClientConnections connections, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ClientProtocol.DropConnectionsEvery is not { } every)
        {
            return;
        }

        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                connections.DropAll();
            }
        }
        catch (OperationCanceledException)
        {
            // the host stops
        }
    }
}
