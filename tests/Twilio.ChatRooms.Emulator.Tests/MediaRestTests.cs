using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// The server's side of media, as Twilio documents it: upload to the media service with the account's credentials,
/// then create the message with <c>MediaSid</c> through Twilio's own C# SDK. Refusals are Twilio's codes and change
/// nothing; a message's files go with it; temporary content URLs stop working when they expire.
/// </summary>
public sealed class MediaRestTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private string MediaUrl => $"{Server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{Server.DefaultServiceSid}/Media";

    [Fact]
    public async Task ServerUploadsWithTheAccountsCredentials_AndTheTwilioSdkSendsTheFile_WhichGoesWithItsMessage()
    {
        using var http = EmulatorClients.Raw(Server);
        var client = EmulatorClients.Twilio(Server);
        var conversation = await Twilio.Rest.Conversations.V1.ConversationResource.CreateAsync(uniqueName: EmulatorClients.Unique("media"), client: client);

        var uploaded = await UploadAsync(http, Png, "image/png", "dot.png");
        uploaded["author"]!.GetValue<string>().Should().Be("system");
        uploaded["size"]!.GetValue<long>().Should().Be(Png.Length);
        uploaded["content_type"]!.GetValue<string>().Should().Be("image/png");
        uploaded["filename"]!.GetValue<string>().Should().Be("dot.png");
        uploaded["message_sid"].Should().BeNull();
        var sid = uploaded["sid"]!.GetValue<string>();

        var message = await MessageResource.CreateAsync(conversation.Sid, mediaSid: sid, client: client);
        message.Body.Should().BeNull();
        var media = JsonNode.Parse("[" + string.Join(",", message.Media.Select(m => m.ToString())) + "]")!.AsArray();
        media.Should().ContainSingle();
        media[0]!["sid"]!.GetValue<string>().Should().Be(sid);
        media[0]!["content_type"]!.GetValue<string>().Should().Be("image/png");
        media[0]!["filename"]!.GetValue<string>().Should().Be("dot.png");
        media[0]!["size"]!.GetValue<long>().Should().Be(Png.Length);
        (await MessageResource.FetchAsync(conversation.Sid, message.Sid, client: client)).Media.Should().HaveCount(1);

        var record = JsonNode.Parse(await http.GetStringAsync(new Uri($"{MediaUrl}/{sid}"), Ct))!;
        record["message_sid"]!.GetValue<string>().Should().Be(message.Sid);
        record["channel_sid"]!.GetValue<string>().Should().Be(conversation.Sid);
        (await http.GetByteArrayAsync(new Uri($"{MediaUrl}/{sid}/Content"), Ct)).Should().Equal(Png);
        (await http.GetByteArrayAsync(new Uri(record["links"]!["content_direct_temporary"]!.GetValue<string>()), Ct)).Should().Equal(Png);

        await MessageResource.DeleteAsync(conversation.Sid, message.Sid, client: client);
        (await http.GetAsync(new Uri($"{MediaUrl}/{sid}"), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound, "a message's files go with it");
        (await http.GetAsync(new Uri($"{MediaUrl}/{sid}/Content"), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MessagesWithFilesTheyMayNotHold_AreRefusedWithTwiliosCodes_AndNothingChanges()
    {
        using var http = EmulatorClients.Raw(Server);
        using var created = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", EmulatorClients.Unique("refused"))), Ct);
        var conversation = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["sid"]!.GetValue<string>();
        var first = (await UploadAsync(http, Png, "image/png", "a.png"))["sid"]!.GetValue<string>();
        (await SendAsync(http, conversation, first)).StatusCode.Should().Be(HttpStatusCode.Created);
        var spare = (await UploadAsync(http, Png, "image/png", "b.png"))["sid"]!.GetValue<string>();

        await ExpectAsync(await SendAsync(http, conversation, "MEnotasid"), 400, 50510);
        await ExpectAsync(await SendAsync(http, conversation, "ME" + new string('0', 32)), 400, 50507);
        await ExpectAsync(await SendAsync(http, conversation, first), 400, 50508);
        await ExpectAsync(await SendAsync(http, conversation, spare, spare), 400, 50508);
        await ExpectAsync(await SendAsync(http, conversation, [.. Enumerable.Repeat(spare, 11)]), 400, 20001);

        using var untyped = new ByteArrayContent(Png);
        await ExpectAsync(await http.PostAsync(new Uri(MediaUrl), untyped, Ct), 415, 50511);
        using var anonymous = new HttpClient();
        using var body = new ByteArrayContent(Png) { Headers = { ContentType = new("image/png") } };
        await ExpectAsync(await anonymous.PostAsync(new Uri(MediaUrl), body, Ct), 401, 20003);

        var messages = JsonNode.Parse(await http.GetStringAsync($"v1/Conversations/{conversation}/Messages", Ct))!["messages"]!.AsArray();
        messages.Should().ContainSingle("only the first message was sent");
        JsonNode.Parse(await http.GetStringAsync(new Uri($"{MediaUrl}/{spare}"), Ct))!["message_sid"].Should().BeNull("a refused message holds nothing");
        (await SendAsync(http, conversation, spare)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task TemporaryContentUrl_StopsWorkingOnceItExpires()
    {
        var clock = new Clock(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddConversationsEmulator();
        await using var app = builder.Build();
        app.MapConversationsEmulator();
        await app.StartAsync(Ct);
        var root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var credentials = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConversationsEmulatorOptions>>().Value.Credentials!;
        using var http = EmulatorClients.Raw(new Uri(root + "/emulator"), credentials);
        var service = JsonNode.Parse(await http.GetStringAsync("v1/Configuration", Ct))!["default_chat_service_sid"]!.GetValue<string>();
        using var content = new ByteArrayContent(Png) { Headers = { ContentType = new("image/png") } };
        var uploaded = JsonNode.Parse(await (await http.PostAsync(new Uri($"{root}/emulator/mcs/v1/Services/{service}/Media"), content, Ct)).Content.ReadAsStringAsync(Ct))!;
        var url = new Uri(uploaded["links"]!["content_direct_temporary"]!.GetValue<string>());
        using var anonymous = new HttpClient();

        clock.Now += TimeSpan.FromSeconds(299);
        (await anonymous.GetByteArrayAsync(url, Ct)).Should().Equal(Png);
        clock.Now += TimeSpan.FromSeconds(2);
        (await anonymous.GetAsync(url, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var tampered = new Uri(url.ToString()[..^4] + "AAAA");
        clock.Now -= TimeSpan.FromSeconds(300);
        (await anonymous.GetAsync(tampered, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<JsonNode> UploadAsync(HttpClient http, byte[] bytes, string type, string filename)
    {
        using var content = new ByteArrayContent(bytes) { Headers = { ContentType = MediaTypeHeaderValue.Parse(type) } };
        using var response = await http.PostAsync(new Uri($"{MediaUrl}?Filename={Uri.EscapeDataString(filename)}"), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string conversation, params string[] mediaSids) =>
        http.PostAsync($"v1/Conversations/{conversation}/Messages", EmulatorClients.Form([.. mediaSids.Select(s => ("MediaSid", s))]), Ct);

    private static async Task ExpectAsync(HttpResponseMessage response, int status, int code)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).Should().Be(status, text);
        JsonNode.Parse(text)!["code"]!.GetValue<int>().Should().Be(code, text);
    }

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

/// <summary>
/// The media service as a chat user's page calls it: with the access token in <c>X-Twilio-Token</c> (the uploader is
/// its identity, and no one else sees an unattached file), from a loopback page of another port (CORS), never from a
/// page of an origin the emulator does not admit.
/// </summary>
public sealed class MediaTokenTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private string MediaUrl => $"{Server.BaseAddress.ToString().TrimEnd('/')}/mcs/v1/Services/{Server.DefaultServiceSid}/Media";

    [Fact]
    public async Task UserUploadsWithTheirToken_OnlyTheySeeTheFileUntilSent_AndABadTokenIsRefused()
    {
        var alice = EmulatorClients.Unique("alice");
        using var http = new HttpClient();
        using var content = new ByteArrayContent([1, 2, 3, 4]) { Headers = { ContentType = new("application/pdf") } };
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"{MediaUrl}?Filename=a.pdf") { Content = content };
        upload.Headers.Add("X-Twilio-Token", Twilsock.Token(Server, alice));
        using var uploaded = await http.SendAsync(upload, Ct);
        var body = await uploaded.Content.ReadAsStringAsync(Ct);
        uploaded.StatusCode.Should().Be(HttpStatusCode.Created, body);
        var media = JsonNode.Parse(body)!;
        media["author"]!.GetValue<string>().Should().Be(alice);

        async Task<HttpStatusCode> ReadAsync(string token)
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"{MediaUrl}/{media["sid"]}");
            read.Headers.Add("X-Twilio-Token", token);
            using var response = await http.SendAsync(read, Ct);
            return response.StatusCode;
        }

        (await ReadAsync(Twilsock.Token(Server, alice))).Should().Be(HttpStatusCode.OK);
        (await ReadAsync(Twilsock.Token(Server, EmulatorClients.Unique("mallory")))).Should().Be(HttpStatusCode.NotFound);
        (await ReadAsync("not.a.token")).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoopbackPageOfAnotherPort_MayCallTheService_AnotherOriginMayNot()
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, MediaUrl);
        preflight.Headers.Add("Origin", "http://localhost:5173");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-twilio-token,content-type");
        using var allowed = await http.SendAsync(preflight, Ct);
        allowed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("http://localhost:5173");
        allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().Should().Contain("X-Twilio-Token");

        using var foreign = new HttpRequestMessage(HttpMethod.Options, MediaUrl);
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await http.SendAsync(foreign, Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }
}
