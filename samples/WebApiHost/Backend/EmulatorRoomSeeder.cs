using Twilio.ChatRooms;

namespace WebApiHost.Backend;

/// <summary>
/// On the emulator, once the server listens: makes sure the participant role exists and, when there is no room yet,
/// creates two, so that a new user can chat at once.
/// </summary>
internal sealed partial class EmulatorRoomSeeder(IChatRoomAdmin rooms, IParticipantProvisioner provisioner, ILogger<EmulatorRoomSeeder> logger)
    : IHostedLifecycleService
{
    private static readonly string[] StarterRooms = ["general", "random"];

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when seeding is over (done or failed): the chat's endpoints wait for it.</summary>
    public Task Ready => _ready.Task;

    // Runs after the server has started listening: the library reaches the emulator over HTTP.
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SeedAsync(cancellationToken);
        }
        finally
        {
            _ready.TrySetResult();
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        await provisioner.EnsureParticipantRoleAsync(cancellationToken);
        await foreach (var _ in rooms.ListRoomsAsync(cancellationToken))
        {
            return;
        }

        foreach (var name in StarterRooms)
        {
            try
            {
                await rooms.CreateRoomAsync(name, cancellationToken);
                Log.RoomSeeded(logger, name);
            }
            catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.AlreadyExists)
            {
                // Another instance seeded it first: fine.
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
