using System.Text.Json;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Hosting;

/// <summary>
/// Fills in <see cref="ConversationsEmulatorOptions.Credentials"/> when nobody set them: read from
/// <c>{DataDirectory}/emulator-credentials.json</c>, or generated at random and written there (owner-only) on the first
/// start; without a data directory, random for this process. Then refuses well-known credentials served beyond loopback.
/// </summary>
internal sealed class CredentialsSetup : IPostConfigureOptions<ConversationsEmulatorOptions>, IValidateOptions<ConversationsEmulatorOptions>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void PostConfigure(string? name, ConversationsEmulatorOptions options) =>
        options.Credentials ??= options.DataDirectory is { Length: > 0 } directory
            ? LoadOrCreate(Path.GetFullPath(directory))
            : EmulatorCredentials.Generate();

    public ValidateOptionsResult Validate(string? name, ConversationsEmulatorOptions options) =>
        options.AllowRemoteClients && options.Credentials is { IsWellKnown: true }
            ? ValidateOptionsResult.Fail("The emulator refuses to serve remote clients (AllowRemoteClients) with the well-known "
                + "development credentials: anyone could use them. Leave Credentials unset to have them generated.")
            : ValidateOptionsResult.Success;

    private static EmulatorCredentials LoadOrCreate(string directory)
    {
        if (File.Exists(directory))
        {
            throw new EmulatorStorageException($"The emulator's data directory {directory} is a file, not a directory.", directory);
        }

        var path = Path.Combine(directory, EmulatorCredentials.FileName);
        if (!File.Exists(path))
        {
            OwnerOnly.Directory(directory);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var stream = new FileStream(temporary, OwnerOnly.Create(FileMode.CreateNew, FileAccess.Write)))
            {
                JsonSerializer.Serialize(stream, EmulatorCredentials.Generate(), Json);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                // Atomic: a second process starting at the same time either wins or reads the winner's file.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        OwnerOnly.Narrow(path, OwnerOnly.FileMode);

        try
        {
            var credentials = JsonSerializer.Deserialize<EmulatorCredentials>(File.ReadAllText(path), Json);
            if (credentials is { AccountSid.Length: > 0, AuthToken.Length: > 0, ApiKeySid.Length: > 0, ApiKeySecret.Length: >= 32 })
            {
                return credentials;
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        throw new EmulatorStorageException(
            $"The emulator cannot read its credentials from {path}: it is not JSON with accountSid, authToken, apiKeySid and "
            + "apiKeySecret (32 characters or more). Delete the file to have new ones generated.", path);
    }
}
