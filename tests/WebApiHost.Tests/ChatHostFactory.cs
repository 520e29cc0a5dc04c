using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace WebApiHost.Tests;

/// <summary>
/// The real web host on a real loopback port, on its in-process emulator (no Twilio credentials), so the library
/// reaches the emulator over HTTP exactly as it would reach Twilio. Accounts are on, with their SQLite database in
/// <see cref="DataDirectory"/>, unless <see cref="UsernameOnly"/> or <see cref="Settings"/> say otherwise.
/// </summary>
public class ChatHostFactory : WebApplicationFactory<Program>
{
    private readonly TemporaryDirectory _contentRoot = new("webapihost-tests-");
    private readonly string? _givenDataDirectory;
    private readonly Lazy<TemporaryDirectory> _ownDataDirectory = new(() => new TemporaryDirectory("webapihost-data-"));

    public ChatHostFactory()
    {
        Port = NetworkAddresses.FreePort();
        UseKestrel();   // a real socket; the address comes from the "urls" setting below
    }

    public int Port { get; }

    /// <summary><c>Chat:SignIn=UsernameOnly</c>: the tutorial's sign-in by name alone, for tests about everything else.</summary>
    public bool UsernameOnly { get; init; }

    /// <summary>
    /// Where the emulator keeps its data: a new temporary folder, deleted with the factory, unless the test hands one
    /// over (to restart a host on the same data) and deletes it itself.
    /// </summary>
    public string DataDirectory
    {
        get => _givenDataDirectory ?? _ownDataDirectory.Value.Path;
        init => _givenDataDirectory = value;
    }

    /// <summary>More configuration, e.g. <c>Chat:JoinAllRoomsAtLogin</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Logins allowed per minute for one username from one address; tests that probe the limit use their own factory.</summary>
    public int LoginPermitsPerMinute { get; init; } = 1000;

    /// <summary>Logins allowed per minute from one address, whatever the name.</summary>
    public int LoginPermitsPerMinutePerAddress { get; init; } = 10_000;

    /// <summary><c>Chat:RateLimits:WritesPerMinute</c> per user; high, unless a test probes the limit.</summary>
    public int WritesPerMinute { get; init; } = 10_000;

    /// <summary>Settings that point the host at "Twilio" (in tests, a standalone emulator); none means the in-process emulator.</summary>
    public IReadOnlyDictionary<string, string>? TwilioSettings { get; init; }

    /// <summary>A <c>.env</c> file to put beside the host, as a tutorial user would.</summary>
    public string? DotEnv { get; init; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>What the host logged, Warning and up.</summary>
    public CapturingLoggerProvider Logs { get; } = new();
    /// <summary>The address the host binds: loopback, or <c>0.0.0.0</c> for tests of what other machines may reach.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>The credentials of the emulator this host mounts, read from it as the host reads them.</summary>
    public Twilio.ChatRooms.Emulator.EmulatorCredentials EmulatorCredentials =>
        Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Twilio.ChatRooms.Emulator.ConversationsEmulatorOptions>>().Value.Credentials!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", $"http://{ListenAddress}:{Port}");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (TwilioSettings is null && DotEnv is null)
        {
            builder.UseSetting("Twilio:AccountSid", "");            // the emulator, whatever the machine has set
            builder.UseSetting("TWILIO_ACCOUNT_SID", "");
        }

        builder.UseSetting("Emulator:DataDirectory", DataDirectory);
        if (UsernameOnly)
        {
            builder.UseSetting("Chat:SignIn", "UsernameOnly");
        }

        if (!Settings.ContainsKey("ConnectionStrings:Accounts"))
        {
            // Beside the emulator's data, so a host restarted on the same folder keeps its accounts too.
            builder.UseSetting("ConnectionStrings:Accounts", "Data Source=" + Path.Combine(DataDirectory, "accounts.db"));
        }

        builder.UseSetting("Login:PermitsPerMinute", LoginPermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Login:PermitsPerMinutePerAddress", LoginPermitsPerMinutePerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Chat:RateLimits:WritesPerMinute", WritesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in (TwilioSettings ?? new Dictionary<string, string>()).Concat(Settings))
        {
            builder.UseSetting(key, value);
        }

        // An empty content root: a developer's own .env or appsettings never leak into the tests.
        if (DotEnv is not null)
        {
            File.WriteAllText(Path.Combine(_contentRoot.Path, ".env"), DotEnv);
        }

        builder.UseContentRoot(_contentRoot.Path);
        // ...but the React client the build put into the host's wwwroot, so browser tests see the real client.
        builder.UseWebRoot(Path.Combine(RepositoryRoot, "samples", "WebApiHost", "wwwroot"));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();   // lets the accounts file go
        // Only what this factory made: a data directory handed over by the test belongs to the test.
        _contentRoot.Dispose();
        if (_ownDataDirectory.IsValueCreated)
        {
            _ownDataDirectory.Value.Dispose();
        }
    }

    public HttpClient CreateRealClient()
    {
        StartServer();
        return new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>The folder holding Twilio.ChatRooms.sln, found from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Twilio.ChatRooms.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Twilio.ChatRooms.sln not found above " + AppContext.BaseDirectory);
    }

}

/// <summary>A host in the tutorial's username-only sign-in mode, as a class fixture.</summary>
public sealed class UsernameOnlyHostFactory : ChatHostFactory
{
    public UsernameOnlyHostFactory() => UsernameOnly = true;
}
