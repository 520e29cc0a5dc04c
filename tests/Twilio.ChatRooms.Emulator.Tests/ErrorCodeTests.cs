using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>Twilio's specific error code for each kind of invalid input, and that the refused request changed nothing.</summary>
public sealed class ErrorCodeTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task CreateConversation_InvalidInput_AnswersTwiliosCodeAndCreatesNothing()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = EmulatorClients.Unique("bad");

        var cases = new (Func<Task> Act, int Code)[]
        {
            (() => ConversationResource.CreateAsync(uniqueName: name, friendlyName: new string('x', 257), client: client), 50003),
            (() => ConversationResource.CreateAsync(uniqueName: name + new string('x', 257), client: client), 50004),
            (() => ConversationResource.CreateAsync(uniqueName: "CH" + Guid.NewGuid().ToString("N"), client: client), 50390),
            (() => ConversationResource.CreateAsync(uniqueName: name, attributes: "{not json", client: client), 50304),
            (() => ConversationResource.CreateAsync(uniqueName: name, attributes: $"{{\"a\":\"{new string('x', 16 * 1024)}\"}}", client: client), 50303),
            (() => ConversationResource.CreateAsync(uniqueName: name, state: ConversationResource.StateEnum.Closed, client: client), 50384),
        };

        foreach (var (act, code) in cases)
        {
            var e = await Assert.ThrowsAsync<ApiException>(act);
            e.Status.Should().Be(400);
            e.Code.Should().Be(code);
            e.MoreInfo.Should().Be($"https://www.twilio.com/docs/errors/{code}");
        }

        var state = await RawErrorAsync(HttpMethod.Post, "v1/Conversations", ("UniqueName", name), ("State", "sleeping"));
        state.Should().Be((400, 50378));
        (await Assert.ThrowsAsync<ApiException>(() => ConversationResource.FetchAsync(name, client: client))).Status.Should().Be(404);
    }

    [Fact]
    public async Task CreateMessage_InvalidInput_AnswersTwiliosCodeAndAddsNothing()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);

        var tooLong = await Assert.ThrowsAsync<ApiException>(() => MessageResource.CreateAsync(conversation.Sid, body: new string('x', 32 * 1024 + 1), client: client));
        var noBody = await Assert.ThrowsAsync<ApiException>(() => MessageResource.CreateAsync(conversation.Sid, author: "a", client: client));
        var bigAttributes = await Assert.ThrowsAsync<ApiException>(() =>
            MessageResource.CreateAsync(conversation.Sid, body: "b", attributes: $"{{\"a\":\"{new string('x', 4 * 1024)}\"}}", client: client));
        var badAttributes = await Assert.ThrowsAsync<ApiException>(() => MessageResource.CreateAsync(conversation.Sid, body: "b", attributes: "[", client: client));
        var messages = (await MessageResource.ReadAsync(conversation.Sid, client: client)).ToList();
        var first = await MessageResource.CreateAsync(conversation.Sid, body: new string('x', 32 * 1024), client: client);

        (tooLong.Status, tooLong.Code).Should().Be((400, 50504));
        (noBody.Status, noBody.Code).Should().Be((400, 50503));
        (bigAttributes.Status, bigAttributes.Code).Should().Be((400, 50303));
        (badAttributes.Status, badAttributes.Code).Should().Be((400, 50304));
        messages.Should().BeEmpty();
        first.Index.Should().Be(0, "refused messages take no index");
    }

    [Fact]
    public async Task CreateParticipant_InvalidInput_AnswersTwiliosCodeAndAddsNothing()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var identity = EmulatorClients.Unique("p");

        var cases = new (Func<Task> Act, int Code)[]
        {
            (() => ParticipantResource.CreateAsync(conversation.Sid, client: client), 50204),
            (() => ParticipantResource.CreateAsync(conversation.Sid, identity: identity, messagingBindingAddress: "+15550100001", messagingBindingProxyAddress: "+15550100002", client: client), 50211),
            (() => ParticipantResource.CreateAsync(conversation.Sid, messagingBindingAddress: "+15550100001", client: client), 50412),
            (() => ParticipantResource.CreateAsync(conversation.Sid, messagingBindingProxyAddress: "+15550100002", client: client), 50411),
            (() => ParticipantResource.CreateAsync(conversation.Sid, messagingBindingAddress: "+15550100001", messagingBindingProxyAddress: "+15550100001", client: client), 50409),
            (() => ParticipantResource.CreateAsync(conversation.Sid, identity: new string('i', 257), client: client), 50207),
            (() => ParticipantResource.CreateAsync(conversation.Sid, identity: identity, attributes: "nope", client: client), 50304),
            (() => ParticipantResource.CreateAsync(conversation.Sid, identity: identity, roleSid: "RL" + new string('0', 32), client: client), 50109),
        };

        foreach (var (act, code) in cases)
        {
            var e = await Assert.ThrowsAsync<ApiException>(act);
            (e.Status, e.Code).Should().Be((400, code));
        }

        (await ParticipantResource.ReadAsync(conversation.Sid, client: client)).Should().BeEmpty();
        (await Assert.ThrowsAsync<ApiException>(() => UserResource.FetchAsync(identity, client: client))).Status.Should().Be(404);
    }

    [Fact]
    public async Task UpdateParticipant_LastReadMessageIndexNotANumber_Is50421()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var participant = await ParticipantResource.CreateAsync(conversation.Sid, identity: EmulatorClients.Unique("reader"), client: client);

        var error = await RawErrorAsync(HttpMethod.Post, $"v1/Conversations/{conversation.Sid}/Participants/{participant.Sid}", ("LastReadMessageIndex", "latest"));
        var after = await ParticipantResource.FetchAsync(conversation.Sid, participant.Sid, client: client);

        error.Should().Be((400, 50421));
        after.LastReadMessageIndex.Should().BeNull();
    }

    [Fact]
    public async Task CreateUserAndRole_InvalidInput_AnswersTwiliosCodeAndCreatesNothing()
    {
        var client = EmulatorClients.Twilio(Server);
        var identity = EmulatorClients.Unique("u");
        var roleName = EmulatorClients.Unique("role");

        var noIdentity = await RawErrorAsync(HttpMethod.Post, "v1/Users", ("FriendlyName", "Nobody"));
        var longIdentity = await Assert.ThrowsAsync<ApiException>(() => UserResource.CreateAsync(new string('u', 257), client: client));
        var unknownRole = await Assert.ThrowsAsync<ApiException>(() => UserResource.CreateAsync(identity, roleSid: "RL" + new string('1', 32), client: client));
        var longName = await Assert.ThrowsAsync<ApiException>(() => UserResource.CreateAsync(identity, friendlyName: new string('n', 257), client: client));
        var noRoleName = await RawErrorAsync(HttpMethod.Post, "v1/Roles", ("Type", "service"), ("Permission", "joinConversation"));
        var badType = await RawErrorAsync(HttpMethod.Post, "v1/Roles", ("FriendlyName", roleName), ("Type", "global"), ("Permission", "joinConversation"));
        var badPermission = await Assert.ThrowsAsync<ApiException>(() =>
            RoleResource.CreateAsync(roleName, RoleResource.RoleTypeEnum.Conversation, ["joinConversation"], client: client));

        noIdentity.Should().Be((400, 50204));
        (longIdentity.Status, longIdentity.Code).Should().Be((400, 50207));
        (unknownRole.Status, unknownRole.Code).Should().Be((400, 50100));
        (longName.Status, longName.Code).Should().Be((400, 50003));
        noRoleName.Should().Be((400, 50000));
        badType.Should().Be((400, 50105));
        (badPermission.Status, badPermission.Code).Should().Be((400, 50104));
        (await Assert.ThrowsAsync<ApiException>(() => UserResource.FetchAsync(identity, client: client))).Status.Should().Be(404);
        (await RoleResource.ReadAsync(client: client)).Should().NotContain(r => r.FriendlyName == roleName);
    }

    [Theory]
    [InlineData("PageSize=0")]
    [InlineData("PageSize=101")]
    [InlineData("Page=-1")]
    [InlineData("PageToken=garbage")]
    public async Task List_PagingOutOfRange_IsTheUnconfirmed20001(string query)
    {
        var error = await RawErrorAsync(HttpMethod.Get, "v1/Conversations?" + query);

        error.Should().Be((400, 20001));
    }

    [Theory]
    [InlineData("v1/Roles")]
    [InlineData("v1/Users")]
    [InlineData("v1/Users/USER/Conversations")]
    public async Task List_SmallListsAbove50_IsRefusedAsTwiliosDescriptionCapsThem(string path)
    {
        using var http = EmulatorClients.Raw(Server);
        var user = EmulatorClients.Unique("pager");
        (await http.PostAsync("v1/Users", EmulatorClients.Form(("Identity", user)), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);
        path = path.Replace("USER", user, StringComparison.Ordinal);

        var error = await RawErrorAsync(HttpMethod.Get, path + "?PageSize=51");

        error.Should().Be((400, 20001));
        (await http.GetAsync(path + "?PageSize=50", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Sends a raw request (for what the SDK cannot send) and reads Twilio's error body.</summary>
    private async Task<(int Status, int Code)> RawErrorAsync(HttpMethod method, string path, params (string Key, string Value)[] form)
    {
        using var http = EmulatorClients.Raw(Server);
        using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : EmulatorClients.Form(form) };
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("status").GetInt32().Should().Be((int)response.StatusCode);
        body.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
        response.StatusCode.Should().NotBe(HttpStatusCode.OK);
        return ((int)response.StatusCode, body.GetProperty("code").GetInt32());
    }
}
