using System.Net;
using System.Net.Http.Json;
using Twilio.ChatRooms.TestSupport;

namespace WebApiHost.Tests;

/// <summary>
/// The host on its emulator bound to every interface (<c>0.0.0.0</c>, which its own address reads as localhost): another
/// machine, even one sending <c>Host: localhost</c>, gets 403 at every door and creates nothing.
/// </summary>
public sealed class EmulatorRemoteClientTests : IAsyncLifetime
{
    private readonly ChatHostFactory _factory = new() { ListenAddress = "0.0.0.0", UsernameOnly = true };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task RemoteClient_IsRefusedAtEveryDoor_AndNothingIsCreated_LoopbackIsServed()
    {
        using var local = _factory.CreateRealClient();
        using var remote = new HttpClient { BaseAddress = new Uri($"http://{NetworkAddresses.NonLoopback()}:{_factory.Port}") };
        var name = SignedInUser.NewName("afar");

        var doors = new List<HttpResponseMessage>();
        foreach (var (method, path, body) in new (HttpMethod, string, HttpContent?)[]
        {
            (HttpMethod.Post, "/login", JsonContent.Create(new { username = name })),
            (HttpMethod.Get, "/rooms", null),
            (HttpMethod.Post, "/emulator/v1/Conversations", new FormUrlEncodedContent([new("UniqueName", name)])),
            (HttpMethod.Get, "/emulator/twilsock", null),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            request.Headers.Host = $"localhost:{_factory.Port}";   // past the Host check: only the client's address tells
            doors.Add(await remote.SendAsync(request, Ct));
        }

        doors.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Forbidden);
        var alice = await SignedInUser.LogInAsync(_factory, SignedInUser.NewName("alice"));
        alice.Rooms.Should().NotBeEmpty("loopback clients are served");
        using var lookup = new HttpRequestMessage(HttpMethod.Get, "/emulator/v1/Users/" + name);
        var credentials = _factory.EmulatorCredentials;
        lookup.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
        (await local.SendAsync(lookup, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
