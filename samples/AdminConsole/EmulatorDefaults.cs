namespace AdminConsole;

/// <summary>
/// How <c>--emulator</c> connects: the web host's emulator address, and where that emulator keeps the credentials it
/// generated (the console never uses fixed, well-known ones).
/// </summary>
internal static class EmulatorDefaults
{
    /// <summary>Where the web host serves the emulator.</summary>
    public const string Address = "http://localhost:5000/emulator";

    /// <summary>
    /// The credentials file of the web host's emulator, relative to the current directory (the repository root, where
    /// <c>dotnet run --project samples/AdminConsole</c> is run): <c>App_Data/emulator</c> beside the host, its default
    /// <c>Emulator:DataDirectory</c>.
    /// </summary>
    public static readonly string CredentialsFile = Path.Combine("samples", "WebApiHost", "App_Data", "emulator", "emulator-credentials.json");
}
