namespace Twilio.ChatRooms.Emulator.Storage;

/// <summary>Keeps the state in memory; one lock makes each unit atomic.</summary>
internal sealed class InMemoryEmulatorStore : IEmulatorStore
{
    private readonly Lock _gate = new();
    private readonly EmulatorState _state = new();

    public T Read<T>(Func<EmulatorState, T> read)
    {
        lock (_gate)
        {
            return read(_state);
        }
    }

    public T Write<T>(Func<EmulatorState, T> write)
    {
        lock (_gate)
        {
            return write(_state);
        }
    }
}
