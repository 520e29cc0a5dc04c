using Twilio.ChatRooms;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator;

namespace WebApiHost.Backend;

/// <summary>Chooses the back end: Twilio when credentials are configured, else the emulator mounted in this host.</summary>
internal static class ChatBackendExtensions
{
    /// <summary>Where the emulator is mounted in this host.</summary>
    public const string EmulatorPrefix = "/emulator";

    /// <summary>Loads a <c>.env</c> file from the content root into the configuration, as the tutorial did.</summary>
    public static void AddDotEnvFile(this WebApplicationBuilder builder)
    {
        var path = Path.Combine(builder.Environment.ContentRootPath, ".env");
        if (File.Exists(path))
        {
            // Loaded as configuration, not into the process environment: nothing leaks to child processes.
            var values = DotNetEnv.Env.NoEnvVars().Load(path);
            builder.Configuration.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        }
    }

    public static void AddChatBackend(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var section = configuration.GetSection("Twilio");
        var usesTwilio = !string.IsNullOrWhiteSpace(section["AccountSid"]) || !string.IsNullOrWhiteSpace(configuration["TWILIO_ACCOUNT_SID"]);

        builder.Services.AddSingleton<ChatSignOut>();
        if (usesTwilio)
        {
            builder.Services.AddTwilioChatRooms(section);
            if (ExternalEmulatorTwilsock(builder.Services, section) is not { } twilsock)
            {
                builder.Services.AddSingleton(ChatBackend.Twilio);
                return;
            }

            // An emulator in a process of its own (conversations-emulator, Aspire's AddTwilioConversationsEmulator):
            // called like Twilio at Twilio:BaseAddress; like the one mounted here, it gets the participant role and the
            // starter rooms.
            builder.Services.AddSingleton(ChatBackend.EmulatorAt(twilsock));
            UsersMakeGroups(builder.Services);
            builder.Services.AddSingleton<EmulatorRoomSeeder>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmulatorRoomSeeder>());
            return;
        }

        builder.Services.AddSingleton(ChatBackend.Emulator);
        // Rooms, users and messages survive restarts: Emulator:DataDirectory, by default App_Data/emulator beside the host.
        var dataDirectory = Path.GetFullPath(configuration["Emulator:DataDirectory"] ?? Path.Combine("App_Data", "emulator"),
            builder.Environment.ContentRootPath);
        var ownAddress = OwnAddress(configuration);
        builder.Services.AddConversationsEmulator(options => EmulatorSecurity.Configure(options, configuration, dataDirectory, ownAddress));
        EmulatorSecurity.CheckCredentialsSetting(builder.Services);
        builder.Services.AddTwilioChatRooms(_ => { });
        // The one Twilio setting that applies on the emulator too: how long the tokens the host issues live.
        builder.Services.AddOptions<TwilioChatRoomsOptions>().Configure(o =>
            o.TokenLifetime = section.GetValue(nameof(TwilioChatRoomsOptions.TokenLifetime), o.TokenLifetime));
        UsersMakeGroups(builder.Services);
        EmulatorSecurity.UseEmulatorCredentials(builder.Services, new Uri(ownAddress, EmulatorPrefix));
        EmulatorSecurity.AcceptOnlyLocalHostNames(builder.Services, configuration);
        EmulatorSecurity.ServeOnlyThisMachine(builder.Services, configuration);
        builder.Services.AddSingleton<EmulatorRoomSeeder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmulatorRoomSeeder>());
    }

    /// <summary>
    /// On an emulator, whose webhooks always reach this host, the participant role the host sets up lets users make
    /// groups: the host's pre-event check (<c>ChatWebhookHandler</c>) refuses a user's conversation posing as a room or a
    /// private one. On Twilio the role is `chatrooms setup`'s, with <c>Twilio:UsersMayCreateConversations</c> set only
    /// where Twilio can reach the host (<c>Chat:PublicAddress</c>).
    /// </summary>
    private static void UsersMakeGroups(IServiceCollection services) =>
        services.PostConfigure<TwilioChatRoomsOptions>(o => o.UsersMayCreateConversations = true);

    /// <summary>The <c>Chat</c> section (<see cref="ChatOptions"/>), checked at start, and the live room list.</summary>
    public static void AddChatOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>().Bind(builder.Configuration.GetSection(ChatOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RoomDirectory>();
    }

    public static void MapChatBackend(this WebApplication app)
    {
        var backend = app.Services.GetRequiredService<ChatBackend>();
        if (backend.IsExternalEmulator)
        {
            var seeder = app.Services.GetRequiredService<EmulatorRoomSeeder>();
            app.Use(async (context, next) =>
            {
                await seeder.Ready.WaitAsync(context.RequestAborted);
                await next(context);
            });
        }

        if (backend.IsEmulator)
        {
            // The server listens before the starter rooms exist; the chat's own endpoints wait for them,
            // the emulator's (which seeding itself calls) do not.
            var seeder = app.Services.GetRequiredService<EmulatorRoomSeeder>();
            app.Use(async (context, next) =>
            {
                if (!context.Request.Path.StartsWithSegments(EmulatorPrefix))
                {
                    await seeder.Ready.WaitAsync(context.RequestAborted);
                }

                await next(context);
            });
            app.MapConversationsEmulator(EmulatorPrefix);
        }

        app.Lifetime.ApplicationStarted.Register(() => Log.BackendSelected(app.Logger, backend.Name,
            backend.IsEmulator ? "the Conversations emulator in this process (no Twilio credentials configured)"
            : backend.EmulatorOrigin is { } origin ? $"the Conversations emulator at {origin} (Twilio:TwilsockUri)"
            : "Twilio"));
    }

    /// <summary>
    /// <c>Twilio:TwilsockUri</c>, the twilsock address of an emulator running in a process of its own (Aspire's
    /// <c>WithReference</c> sets it with <c>Twilio:BaseAddress</c>); null when unset. One that is not an absolute ws(s)
    /// address is refused by the start checks, naming it (one line, exit 1).
    /// </summary>
    private static Uri? ExternalEmulatorTwilsock(IServiceCollection services, IConfiguration section)
    {
        var text = section["TwilsockUri"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss")
        {
            return uri;
        }

        services.AddOptions<TwilioChatRoomsOptions>()
            .Validate(_ => false, $"Twilio:TwilsockUri is '{text}', which is not an absolute ws:// or wss:// address.")
            .ValidateOnStart();
        return null;
    }

    /// <summary>
    /// Checks every setting that is validated at start (the <c>Chat</c> section, a partial <c>Emulator:Credentials</c>,
    /// the library's options) before anything else uses them: a refused one is said in one line, and the host stops
    /// (exit 1) instead of failing later with a stack trace.
    /// </summary>
    public static async Task<bool> RefusesItsSettingsAsync(this WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return false;
        }
        catch (Exception e) when (SettingsRefusals(e) is { Count: > 0 } refusals)
        {
            Log.SettingsRefused(app.Logger, string.Join(" ", refusals));
            await app.DisposeAsync();   // writes the log line out
            return true;
        }
    }

    /// <summary>
    /// Runs the host until it stops: 0, or 1 when the emulator cannot use its data directory (held by another process,
    /// unreadable, newer); that is found while starting, before the port is bound, and said in one line naming the file.
    /// </summary>
    public static async Task<int> RunChatAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (EmulatorStorageException e)
        {
            Log.EmulatorStorageRefused(app.Logger, e.Message);
            return 1;
        }
    }

    /// <summary>What the options validation refused, each reason once (one setting can fail several options).</summary>
    private static List<string> SettingsRefusals(Exception e) => e switch
    {
        OptionsValidationException refused => [.. refused.Failures.Distinct()],
        AggregateException all when all.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. all.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).Distinct()],
        _ => [],
    };

    /// <summary>
    /// The host's own address, from the first configured URL; wildcards become localhost. Only the host itself (the
    /// library calling its emulator) and the URLs the emulator writes use it: binding every interface does not open the
    /// emulator to others, which refuses non-loopback clients unless <c>Emulator:AllowRemoteClients</c>.
    /// </summary>
    private static Uri OwnAddress(ConfigurationManager configuration)
    {
        var first = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var builder = new UriBuilder(first.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal));
        return new Uri(builder.Uri.GetLeftPart(UriPartial.Authority));
    }
}
