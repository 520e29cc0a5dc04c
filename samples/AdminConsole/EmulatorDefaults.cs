using System.Reflection;

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
    /// The credentials file of the web host's emulator: <c>App_Data/emulator/emulator-credentials.json</c> in the web
    /// host's folder (its default <c>Emulator:DataDirectory</c>). The folder is the one beside this console in the
    /// checkout it was built from, so <c>dotnet run --project samples/AdminConsole</c> finds it from any current
    /// directory; an installed tool, built elsewhere, looks under <c>samples/WebApiHost</c> of the current directory.
    /// </summary>
    public static readonly string CredentialsFile = Path.Combine(WebApiHostDirectory(), "App_Data", "emulator", "emulator-credentials.json");

    private static string WebApiHostDirectory()
    {
        var built = typeof(EmulatorDefaults).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "WebApiHostDirectory")?.Value;
        return built is not null && Directory.Exists(built) ? built : Path.GetFullPath(Path.Combine("samples", "WebApiHost"));
    }
}
