using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.Emulator.Admin;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator;

/// <summary>A stand-alone emulator on Kestrel at <c>http://127.0.0.1:{free port}/emulator</c>, for tests and tools.</summary>
public sealed class ConversationsEmulatorServer : IAsyncDisposable
{
    private const string Prefix = "/emulator";
    private readonly WebApplication _app;

    private ConversationsEmulatorServer(WebApplication app, Uri baseAddress, ConversationsEmulatorOptions options, string defaultServiceSid)
    {
        _app = app;
        ClientConnections = app.Services.GetRequiredService<EmulatorClientConnections>();
        BaseAddress = baseAddress;
        TwilsockUri = TwilsockUriFor(baseAddress);
        Credentials = options.Credentials!;
        Faults = options.Faults;
        DefaultServiceSid = defaultServiceSid;
    }

    /// <summary>The emulator's services, for tests that reach inside it.</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>The emulator's root, such as <c>http://127.0.0.1:5123/emulator</c>; the REST API is at <c>BaseAddress + "/v1/..."</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// What to give Twilio's client SDKs as <c>Twilsock.uri</c>, such as <c>ws://127.0.0.1:5123/emulator/twilsock</c>
    /// (<c>new Client(token, { Twilsock: { uri } })</c> in @twilio/conversations).
    /// </summary>
    public Uri TwilsockUri { get; }

    /// <summary>
    /// The <c>Twilsock.uri</c> for client SDKs of an emulator mounted at <paramref name="baseAddress"/> by
    /// <c>MapConversationsEmulator</c>, in any host: <c>http://127.0.0.1:4010/emulator</c> gives
    /// <c>ws://127.0.0.1:4010/emulator/twilsock</c> (and <c>https</c> gives <c>wss</c>).
    /// </summary>
    /// <param name="baseAddress">The emulator's root: the host's address and the prefix it is mapped at.</param>
    /// <returns>The absolute websocket address of the emulator's twilsock endpoint.</returns>
    public static Uri TwilsockUriFor(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return new UriBuilder(baseAddress)
        {
            Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = baseAddress.AbsolutePath.TrimEnd('/') + TwilsockEndpoint.Path,
        }.Uri;
    }

    /// <summary>The credentials the emulator accepts: generated for this process unless configured.</summary>
    public EmulatorCredentials Credentials { get; }

    /// <summary>The SID (IS...) of the default conversation service.</summary>
    public string DefaultServiceSid { get; }

    /// <summary>The faults injected into requests; change them at any time.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>The client SDKs' connections (twilsock), to drop as Twilio's edge would and watch the SDKs reconnect.</summary>
    public EmulatorClientConnections ClientConnections { get; }

    /// <summary>
    /// Empties the emulator, as new but for its credentials and its service's SID: every conversation (with its
    /// participants and messages), user, SMS text and role of its own goes, and the default roles get their default
    /// permissions back. Connected client SDKs see each conversation removed. The same as <c>POST {prefix}/admin/reset</c>.
    /// </summary>
    /// <param name="cancellationToken">Cancels before the reset starts (it is one write, done whole or not at all).</param>
    /// <returns>A task that completes once the reset is durable.</returns>
    public Task ResetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _app.Services.GetRequiredService<AdminRules>().Reset();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Adds the roles, users and conversations (with participants and messages) of a seed file's JSON to the default
    /// service, through Twilio's rules: a seed they refuse, or that names a user or conversation that exists, changes
    /// nothing and throws. The same as <c>POST {prefix}/admin/seed</c>; the README shows the file's shape.
    /// </summary>
    /// <param name="seedJson">The seed: <c>{"roles": [...], "users": [...], "conversations": [...]}</c>.</param>
    /// <param name="cancellationToken">Cancels before the seed starts.</param>
    /// <returns>A task that completes once the seed is applied.</returns>
    /// <exception cref="ArgumentException">The seed is not valid; the message says where and why.</exception>
    public Task SeedAsync(string seedJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seedJson);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _app.Services.GetRequiredService<AdminRules>().Seed(EmulatorSeed.Parse(seedJson));
        }
        catch (EmulatorException e)
        {
            throw new ArgumentException($"{e.Message} (Twilio error {e.Code})", nameof(seedJson), e);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Keeps a copy of the whole state (roles, users, conversations with participants and messages, media files,
    /// webhook settings) under <paramref name="name"/>, taken as one consistent read while writers go on: in
    /// <c>{DataDirectory}/snapshots/</c>, or in memory without a data directory. The same as <c>POST {prefix}/admin/snapshots</c>.
    /// </summary>
    /// <param name="name">1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit.</param>
    /// <param name="replace">Replace a snapshot of that name; without it, one that exists is refused.</param>
    /// <param name="cancellationToken">Cancels before the snapshot starts.</param>
    /// <returns>A task that completes once the snapshot is whole and durable.</returns>
    /// <exception cref="ArgumentException">The name is not valid, or is taken and <paramref name="replace"/> is not set.</exception>
    public Task TakeSnapshotAsync(string name, bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _app.Services.GetRequiredService<SnapshotRules>().Take(name, replace);
        }
        catch (EmulatorException e) when (e.Status is 400 or 409)
        {
            throw new ArgumentException($"{e.Message} (Twilio error {e.Code})", nameof(name), e);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Puts the state back exactly as the snapshot <paramref name="name"/> holds it, in one write; connected client SDKs
    /// see the conversations, participants and messages that come and go as if each change were made. The same as
    /// <c>POST {prefix}/admin/snapshots/{name}/restore</c>.
    /// </summary>
    /// <param name="name">A snapshot taken by this emulator (or a former run of it on the same data directory).</param>
    /// <param name="cancellationToken">Cancels before the restore starts.</param>
    /// <returns>A task that completes once the restored state is durable.</returns>
    /// <exception cref="ArgumentException">There is no snapshot of that name, or it is of another emulator's service.</exception>
    public Task RestoreSnapshotAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _app.Services.GetRequiredService<SnapshotRules>().Restore(name);
        }
        catch (EmulatorException e) when (e.Status is 400 or 404 or 409)
        {
            throw new ArgumentException($"{e.Message} (Twilio error {e.Code})", nameof(name), e);
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts an emulator on a free local port, with its own empty state (or the state in <see cref="ConversationsEmulatorOptions.DataDirectory"/>).</summary>
    /// <param name="configure">Changes the options: credentials, faults and the data directory.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<ConversationsEmulatorServer> StartAsync(Action<ConversationsEmulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddConversationsEmulator(configure);
        var app = builder.Build();
        app.MapConversationsEmulator(Prefix);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var options = app.Services.GetRequiredService<IOptions<ConversationsEmulatorOptions>>().Value;
            var services = app.Services.GetRequiredService<ServiceRules>();
            return new ConversationsEmulatorServer(app, new Uri(address.TrimEnd('/') + Prefix), options, services.DefaultServiceSid);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the emulator and drops its in-memory state (a data directory keeps it).</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
