using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Backend;

/// <summary>
/// How the host runs the emulator safely (see SECURITY.md): the emulator's own credentials (generated in its data
/// directory unless <c>Emulator:Credentials:*</c> sets them), loopback clients only unless
/// <c>Emulator:AllowRemoteClients</c>, only local <c>Host</c> names (DNS rebinding), and URLs from the host's own address.
/// </summary>
internal static class EmulatorSecurity
{
    /// <summary>Host names that can only mean this machine; any port.</summary>
    public static readonly string[] LocalHostNames = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The emulator's options from the <c>Emulator</c> section: every setting the emulator documents (faults, client
    /// protocol, remote clients, origins), read by the emulator's own <see cref="ConversationsEmulatorOptions.Bind"/> as
    /// the <c>conversations-emulator</c> tool reads them (a bad value refused at start, naming it); then where the host
    /// keeps its data, its own address and the credentials.
    /// </summary>
    public static void Configure(ConversationsEmulatorOptions options, IConfiguration configuration, string dataDirectory, Uri ownAddress)
    {
        options.Bind(configuration.GetSection("Emulator"));
        options.DataDirectory = dataDirectory;
        options.PublicAddress = ownAddress;

        // Fixed values only when someone sets them all (a shared fixture, a demo); never printed anywhere.
        var credentials = configuration.GetSection(CredentialsSection);
        if (MissingCredentialKeys(configuration) is { Count: > 0 })
        {
            // Refused at start (CredentialsSettingCheck); without a data directory nothing is generated on disk meanwhile.
            options.DataDirectory = null;
        }
        else if (CredentialKeys.All(key => !string.IsNullOrEmpty(credentials[key])))
        {
            options.Credentials = new EmulatorCredentials(credentials["AccountSid"]!, credentials["AuthToken"]!,
                credentials["ApiKeySid"]!, credentials["ApiKeySecret"]!);
        }
    }

    /// <summary>
    /// <c>Emulator:Credentials</c> is all four keys or none: a partial set stops the start with one line naming the
    /// missing keys (<see cref="ChatBackendExtensions.RunChatAsync"/> exits with 1).
    /// </summary>
    public static void CheckCredentialsSetting(IServiceCollection services)
        => services.AddSingleton<IValidateOptions<ConversationsEmulatorOptions>, CredentialsSettingCheck>();

    /// <summary>The library signs tokens and calls the emulator with the credentials of the emulator mounted here.</summary>
    public static void UseEmulatorCredentials(IServiceCollection services, Uri emulatorAddress) =>
        services.AddOptions<TwilioChatRoomsOptions>().Configure<IOptions<ConversationsEmulatorOptions>>((options, emulator) =>
        {
            var credentials = emulator.Value.Credentials!;
            options.AccountSid = credentials.AccountSid;
            options.AuthToken = credentials.AuthToken;
            options.ApiKeySid = credentials.ApiKeySid;
            options.ApiKeySecret = credentials.ApiKeySecret;
            // The library calls the emulator over HTTP like it calls Twilio: only the base address differs.
            options.BaseAddress = emulatorAddress;
        });

    /// <summary>
    /// Only local <c>Host</c> names, unless remote clients are allowed (then <c>AllowedHosts</c> decides): a page on
    /// another site cannot reach this host by pointing its own name at 127.0.0.1 (DNS rebinding). Others get 400.
    /// </summary>
    public static void AcceptOnlyLocalHostNames(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("Emulator:AllowRemoteClients"))
        {
            return;
        }

        services.PostConfigure<HostFilteringOptions>(options =>
        {
            options.AllowedHosts = [.. LocalHostNames];
            options.AllowEmptyHosts = false;
        });
    }

    /// <summary>
    /// On the emulator every endpoint of the host (not only the emulator's) serves loopback clients only, unless
    /// <c>Emulator:AllowRemoteClients</c>: binding every interface (<c>0.0.0.0</c>) must not let another machine sign in
    /// as anyone. Others get 403 problem+json, first thing in the pipeline (before authentication answers 401).
    /// </summary>
    public static void ServeOnlyThisMachine(IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Emulator:AllowRemoteClients"))
        {
            services.AddTransient<IStartupFilter, ThisMachineOnly>();
        }
    }

    private sealed class ThisMachineOnly : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Connection.RemoteIpAddress is { } remote
                    && !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
                {
                    await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This machine only",
                        detail: "On the emulator this host serves its own machine only (set Emulator:AllowRemoteClients to allow others).")
                        .ExecuteAsync(context);
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }

    private const string CredentialsSection = "Emulator:Credentials";

    private static readonly string[] CredentialKeys = ["AccountSid", "AuthToken", "ApiKeySid", "ApiKeySecret"];

    /// <summary>The keys of a partly set <c>Emulator:Credentials</c> that are missing; none when it is complete or absent.</summary>
    private static List<string> MissingCredentialKeys(IConfiguration configuration)
    {
        var section = configuration.GetSection(CredentialsSection);
        var missing = CredentialKeys.Where(key => string.IsNullOrEmpty(section[key])).Select(key => $"{CredentialsSection}:{key}").ToList();
        return missing.Count == CredentialKeys.Length ? [] : missing;
    }

    private sealed class CredentialsSettingCheck(IConfiguration configuration) : IValidateOptions<ConversationsEmulatorOptions>
    {
        public ValidateOptionsResult Validate(string? name, ConversationsEmulatorOptions options)
            => MissingCredentialKeys(configuration) is { Count: > 0 } missing
                ? ValidateOptionsResult.Fail($"{CredentialsSection} is incomplete: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. Set all four, or none to have them generated.")
                : ValidateOptionsResult.Success;
    }
}
