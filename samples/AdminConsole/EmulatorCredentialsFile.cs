using System.Text.Json;

namespace AdminConsole;

/// <summary>
/// Reads the credentials an emulator generated in its data directory: <c>emulator-credentials.json</c>, JSON
/// <c>{"accountSid", "authToken", "apiKeySid", "apiKeySecret"}</c> (SECURITY.md, "Finding the emulator's credentials").
/// </summary>
internal static class EmulatorCredentialsFile
{
    /// <summary>The four <c>Twilio:*</c> settings the file holds.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="EmulatorCredentialsException">The file is missing or is not such JSON.</exception>
    public static Dictionary<string, string?> Read(string path)
    {
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulatorCredentialsException(
                $"The emulator's credentials could not be read from {full} ({e.Message}). Start the web host once (its emulator "
                + "writes them there), or pass --emulator-credentials with the emulator-credentials.json of its data directory.");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return new Dictionary<string, string?>
            {
                ["Twilio:AccountSid"] = Field(root, "accountSid"),
                ["Twilio:AuthToken"] = Field(root, "authToken"),
                ["Twilio:ApiKeySid"] = Field(root, "apiKeySid"),
                ["Twilio:ApiKeySecret"] = Field(root, "apiKeySecret"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new EmulatorCredentialsException(
                $"{full} is not an emulator credentials file: JSON with accountSid, authToken, apiKeySid and apiKeySecret.");
        }
    }

    private static string Field(JsonElement root, string name) =>
        root.GetProperty(name).GetString() is { Length: > 0 } value ? value : throw new KeyNotFoundException(name);
}

/// <summary>The emulator's credentials file is missing or unreadable (exit code 3).</summary>
internal sealed class EmulatorCredentialsException(string message) : Exception(message);
