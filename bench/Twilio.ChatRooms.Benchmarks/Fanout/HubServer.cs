using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator;

namespace Twilio.ChatRooms.Benchmarks.Fanout;

/// <summary>
/// The server side of the fan-out benchmark, run in a child process (<c>--serve emulator|minimal</c>) so that its memory
/// is its own. Prints <c>ready {base address} {service SID}</c>, answers <c>stats</c> on stdin with its memory, and exits
/// when stdin closes: when the benchmark is done with it, or dies.
/// </summary>
internal static class HubServer
{
    public const string Flag = "--serve";
    public const string Emulator = "emulator";
    public const string Minimal = "minimal";

    public static async Task RunAsync(string kind)
    {
        await using var server = await StartAsync(kind);
        Console.WriteLine($"ready {server.BaseAddress} {server.ServiceSid}");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                // Live objects after a full collection: what the connections and state retain, not garbage.
                var live = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine($"stats {Environment.WorkingSet} {live}");
            }
        }
    }

    private sealed record Running(Uri BaseAddress, string ServiceSid, Func<ValueTask> Stop) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Stop();
    }

    private static async Task<Running> StartAsync(string kind)
    {
        if (kind == Emulator)
        {
            // Fixed credentials, set explicitly, on loopback: the parent process signs its clients' tokens with them.
            var emulator = await ConversationsEmulatorServer.StartAsync(o => o.Credentials = EmulatorCredentials.Development);
            return new Running(emulator.BaseAddress, emulator.DefaultServiceSid, emulator.DisposeAsync);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapHub<MinimalHub>("/hub");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Running(new Uri(address.TrimEnd('/')), "-", app.DisposeAsync);
    }
}

/// <summary>The framework's ceiling: join a group, send to a group, nothing else.</summary>
internal sealed class MinimalHub : Hub
{
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    public async Task<int> SendMessage(string room, string body)
    {
        await Clients.Group(room).SendAsync("messageAdded", new MinimalMessage(body));
        return 0;
    }
}

internal sealed record MinimalMessage(string Body);
