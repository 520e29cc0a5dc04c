using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;

namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>A fresh emulator on a loopback port and the real library talking to it over HTTP.</summary>
internal sealed class EmulatedLibrary : IAsyncDisposable
{
    private EmulatedLibrary(ConversationsEmulatorServer server, ServiceProvider provider, ConcurrentQueue<string> requests)
    {
        Server = server;
        Provider = provider;
        Requests = requests;
    }

    public ConversationsEmulatorServer Server { get; }

    public ServiceProvider Provider { get; }

    public IChatRoomAdmin Admin => Provider.GetRequiredService<IChatRoomAdmin>();

    public IParticipantProvisioner Provisioner => Provider.GetRequiredService<IParticipantProvisioner>();

    public ITokenIssuer Tokens => Provider.GetRequiredService<ITokenIssuer>();

    public IPrivateConversations Private => Provider.GetRequiredService<IPrivateConversations>();

    /// <summary>Every request the library sent, as "METHOD /path" (after retries: one line per attempt).</summary>
    public ConcurrentQueue<string> Requests { get; }

    public static async Task<EmulatedLibrary> StartAsync(Action<TwilioChatRoomsOptions>? configure = null)
    {
        var server = await ConversationsEmulatorServer.StartAsync(_ => { }, TestContext.Current.CancellationToken);
        var requests = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddTwilioChatRoomsOn(server.BaseAddress, server.Credentials, configure)
            .AddHttpMessageHandler(() => new RecordingHandler(requests)); // the builder lets users add handlers
        return new EmulatedLibrary(server, services.BuildServiceProvider(validateScopes: true), requests);
    }

    private sealed class RecordingHandler(ConcurrentQueue<string> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Server.DisposeAsync();
    }
}
