using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task MappedInAHostWithPathBaseAndPrefix_BuildsAbsoluteUrlsFromTheRequest()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddConversationsEmulator(o => o.Faults.FailNextRequests429 = 0);
        await using var app = builder.Build();
        app.UsePathBase("/base");
        app.MapGet("/other", () => "not the emulator");
        app.MapConversationsEmulator("/twilio/");
        await app.StartAsync(Ct);
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var credentials = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConversationsEmulatorOptions>>().Value.Credentials!;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));

        var created = await http.PostAsync($"{root}/base/twilio/v1/Conversations", EmulatorClients.Form(("FriendlyName", "x")), Ct);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var list = await http.GetFromJsonAsync<JsonElement>($"{root}/base/twilio/v1/Conversations", Ct);
        var other = await http.GetStringAsync($"{root}/base/other", Ct);
        await app.StopAsync(Ct);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        body.GetProperty("url").GetString().Should().Be($"{root}/base/twilio/v1/Conversations/{body.GetProperty("sid").GetString()}");
        list.GetProperty("meta").GetProperty("first_page_url").GetString().Should().Be($"{root}/base/twilio/v1/Conversations?PageSize=50&Page=0");
        other.Should().Be("not the emulator");
    }

    [Fact]
    public async Task Server_BaseAddressIsLocalWithEmulatorPrefix_AndStateIsPerServer()
    {
        await using var one = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var two = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = EmulatorClients.Raw(one);
        await http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", "only-in-one")), Ct);
        using var http2 = EmulatorClients.Raw(two);

        var inTwo = await http2.GetAsync("v1/Conversations/only-in-one", Ct);

        one.BaseAddress.ToString().Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/emulator$");
        one.BaseAddress.Should().NotBe(two.BaseAddress);
        one.DefaultServiceSid.Should().NotBe(two.DefaultServiceSid);
        one.Credentials.Should().NotBe(EmulatorCredentials.Development, "credentials nobody set are generated");
        one.Credentials.Should().NotBe(two.Credentials);
        inTwo.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public void DevelopmentCredentials_HaveTwilioShapes()
    {
        var credentials = EmulatorCredentials.Development;

        credentials.AccountSid.Should().MatchRegex("^AC[0-9a-f]{32}$");
        credentials.ApiKeySid.Should().MatchRegex("^SK[0-9a-f]{32}$");
        System.Text.Encoding.UTF8.GetByteCount(credentials.ApiKeySecret).Should().BeGreaterThanOrEqualTo(32);
    }
}
