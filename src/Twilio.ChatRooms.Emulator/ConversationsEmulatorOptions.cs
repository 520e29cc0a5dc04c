namespace Twilio.ChatRooms.Emulator;

/// <summary>Configures the Conversations emulator.</summary>
public sealed class ConversationsEmulatorOptions
{
    /// <summary>The credentials the emulator accepts; <see cref="EmulatorCredentials.Development"/> by default.</summary>
    public EmulatorCredentials Credentials { get; set; } = EmulatorCredentials.Development;

    /// <summary>Faults to inject into requests; none by default. They can be changed while the emulator runs.</summary>
    public EmulatorFaults Faults { get; } = new();

    /// <summary>
    /// Where the emulator keeps its state durably: <c>{DataDirectory}/conversations-emulator.db</c> (SQLite; the directory is
    /// created). Null, the default, keeps the state in memory only.
    /// </summary>
    public string? DataDirectory { get; set; }
}
