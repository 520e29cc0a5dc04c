using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms.Emulator.Tool;

/// <summary>
/// The <c>conversations-emulator</c> command: serves the emulator on loopback until stopped. Every setting can come
/// from <c>appsettings.json</c> beside the tool, environment variables (<c>Emulator__Faults__Latency=00:00:00.2</c>) or
/// the command line; the command line wins.
/// </summary>
internal static class EmulatorCommand
{
    public const int Usage = 2;
    public const int StartFailed = 1;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var port = new Option<int?>("--port") { Description = "The loopback port to listen on (0: any free port). Default 4010, or Emulator:Port." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Where the state is kept (SQLite, one process at a time). Default ./conversations-emulator-data, or Emulator:DataDirectory." };
        var inMemory = new Option<bool>("--in-memory") { Description = "Keep the state in memory only: nothing survives a restart." };
        var latency = new Option<int?>("--latency-ms") { Description = "Delay added to every REST request, in milliseconds." };
        var jitter = new Option<double?>("--jitter") { Description = "How much the latency varies, as a fraction (0.2 means ±20 %)." };
        var rate429 = new Option<double?>("--rate-429") { Description = "Share of REST requests (0 to 1) answered 429, Twilio's code 20429." };
        var rate503 = new Option<double?>("--rate-503") { Description = "Share of REST requests (0 to 1) answered 503, code 20503." };
        var rateLimits = new Option<bool?>("--twilio-rate-limits") { Description = "Apply Twilio's documented rate limits (30 writes a second per conversation and per service)." };
        var dropEvery = new Option<int?>("--drop-connections-every") { Description = "Drop every client SDK connection each N seconds, as a network failure would, to watch a front end reconnect. Default never, or Emulator:ClientProtocol:DropConnectionsEvery." };
        var seed = new Option<string?>("--seed") { Description = "A seed file (JSON or YAML: roles, users, conversations, participants, messages) applied at start when the state is empty, or Emulator:SeedFile." };
        var snapshotOnExit = new Option<string?>("--snapshot-on-exit") { Description = "Take a snapshot of this name when the emulator stops (replacing an older one of that name), to restore later with POST {prefix}/admin/snapshots/NAME/restore; or Emulator:SnapshotOnExit. Needs a data directory." };
        var verbose = new Option<bool>("--verbose") { Description = "Print a line per webhook delivery attempt (event, method, URL, outcome, status, time, attempt)." };
        var root = new RootCommand("The Twilio Conversations emulator: Twilio's REST API and its client protocol (twilsock) on loopback.")
        {
            port, dataDirectory, inMemory, latency, jitter, rate429, rate503, rateLimits, dropEvery, seed, snapshotOnExit, verbose,
        };
        foreach (var admin in AdminCommands.Create(stdout, stderr))
        {
            root.Subcommands.Add(admin);   // for an emulator already running: reset, seed, snapshot
        }

        root.SetAction(_ => 0);   // serving is the root's own work, below; the action only makes a subcommand optional

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"{string.Join(" ", parsed.Errors.Select(e => e.Message))} Run 'conversations-emulator --help' for usage.").ConfigureAwait(false);
            return Usage;
        }

        if (parsed.CommandResult.Command != root)
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }).ConfigureAwait(false);
        }

        if (parsed.Action is not null && parsed.CommandResult.Command == root && (args.Contains("--help") || args.Contains("-h") || args.Contains("-?") || args.Contains("--version")))
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }).ConfigureAwait(false);
        }

        if (parsed.GetValue(inMemory) && parsed.GetValue(snapshotOnExit) is not null)
        {
            await stderr.WriteLineAsync("--snapshot-on-exit keeps its snapshot in the data directory, which --in-memory has none of: choose one. Run 'conversations-emulator --help' for usage.").ConfigureAwait(false);
            return Usage;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Set<T>(Option<T> option, string key, Func<T, string?> text)
        {
            if (parsed.GetResult(option) is { Implicit: false } && parsed.GetValue(option) is { } value)
            {
                overrides[key] = text(value);
            }
        }

        Set(port, "Emulator:Port", v => v?.ToString(CultureInfo.InvariantCulture));
        Set(dataDirectory, "Emulator:DataDirectory", v => v);
        Set(seed, "Emulator:SeedFile", v => v);
        Set(snapshotOnExit, "Emulator:SnapshotOnExit", v => v);
        Set(latency, "Emulator:Faults:Latency", v => v is { } ms ? TimeSpan.FromMilliseconds(ms).ToString("c", CultureInfo.InvariantCulture) : null);
        Set(jitter, "Emulator:Faults:LatencyJitter", v => v?.ToString(CultureInfo.InvariantCulture));
        Set(rate429, "Emulator:Faults:TooManyRequestsRate", v => v?.ToString(CultureInfo.InvariantCulture));
        Set(rate503, "Emulator:Faults:ServiceUnavailableRate", v => v?.ToString(CultureInfo.InvariantCulture));
        Set(rateLimits, "Emulator:Faults:EnforceTwilioRateLimits", v => v is true ? "true" : "false");
        Set(dropEvery, "Emulator:ClientProtocol:DropConnectionsEvery", v => v is { } seconds ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture) : null);
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddEmulatorTelemetry();
        // The tool prints its own start line, so the host's own lines stay below Warning; but the client face's refusals
        // ("Refused client request …", a refused token, a dropped frame: Information, one line each) are what tells a
        // developer why their front end fails, so they show by default (a Logging:LogLevel entry for that category in
        // appsettings.json or the environment overrides it).
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter(typeof(ConversationsEmulatorServer).Namespace + ".ClientProtocol", LogLevel.Information);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        if (parsed.GetValue(verbose))
        {
            builder.Logging.AddFilter("Twilio.ChatRooms.Emulator.Webhooks", LogLevel.Information);  // a line per delivery
        }

        var section = builder.Configuration.GetSection("Emulator");
        EmulatorSettings settings;
        var emulator = new ConversationsEmulatorOptions();
        try
        {
            settings = EmulatorSettings.From(section, parsed.GetValue(inMemory));
            emulator.Bind(section);   // checked here, before anything starts, by the method the host calls too
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"conversations-emulator: {e.Message}").ConfigureAwait(false);
            return Usage;
        }
        catch (OptionsValidationException e)
        {
            await stderr.WriteLineAsync($"conversations-emulator: {string.Join(" ", e.Failures.Select(EmulatorSettings.WithOption))}").ConfigureAwait(false);
            return Usage;
        }

        // Loopback only: the emulator is for one machine (see SECURITY.md).
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.Services.AddConversationsEmulator(o =>
        {
            o.Bind(section);
            o.DataDirectory = settings.DataDirectory;
            o.Credentials = settings.Credentials;   // null: generated (kept in the data directory)
            o.PublicAddress = settings.PublicAddress;
        });
        var app = builder.Build();
        app.MapConversationsEmulator(EmulatorSettings.Prefix);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or EmulatorStorageException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"conversations-emulator: could not start: {e.Message}").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return StartFailed;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await stdout.WriteLineAsync(settings.Describe(address, emulator)).ConfigureAwait(false);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }
}
