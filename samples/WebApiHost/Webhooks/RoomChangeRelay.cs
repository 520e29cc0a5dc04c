using Npgsql;
using WebApiHost.Accounts;
using WebApiHost.Backend;

namespace WebApiHost.Webhooks;

/// <summary>
/// Tells every host that the room list changed. Behind a load balancer a webhook reaches one host; when the accounts
/// live in PostgreSQL (which is what lets several hosts share them) that host sends <c>NOTIFY</c> and every host,
/// itself included, <c>LISTEN</c>s and reads the list again, so every browser on every host sees the change. With the
/// accounts in SQLite there is one host, and it refreshes its own list.
/// </summary>
internal sealed class RoomChangeRelay(RoomDirectory directory, AccountsDatabase accounts, IConfiguration configuration, ILogger<RoomChangeRelay> logger)
    : BackgroundService
{
    /// <summary>The PostgreSQL channel the hosts of one database share.</summary>
    public const string Channel = "chatrooms_rooms_changed";

    private string? Postgres => accounts.IsSqlite ? null : configuration.GetConnectionString("Accounts");

    /// <summary>The room list changed: every host reads it again (this one at least, when PostgreSQL cannot be reached).</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (Postgres is not { } connectionString)
        {
            directory.RequestRefresh();
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var notify = new NpgsqlCommand("NOTIFY " + Channel, connection);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Log.RoomChangeNotReplayed(logger, accounts.Say(e));
            directory.RequestRefresh();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Postgres is not { } connectionString)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => directory.RequestRefresh();
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                directory.RequestRefresh();   // whatever changed while this host was not listening
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                Log.RoomChangesNotHeard(logger, accounts.Say(e));
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
