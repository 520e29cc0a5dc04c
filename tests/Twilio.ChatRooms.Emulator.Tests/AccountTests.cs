using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using Twilio.Rest.Conversations.V1.Service.User;

namespace Twilio.ChatRooms.Emulator.Tests;

public sealed class AccountTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Configuration_NamesTheDefaultService()
    {
        var configuration = await ConfigurationResource.FetchAsync(client: EmulatorClients.Twilio(Server));

        configuration.DefaultChatServiceSid.Should().Be(Server.DefaultServiceSid);
        Server.DefaultServiceSid.Should().MatchRegex("^IS[0-9a-f]{32}$");
    }

    [Fact]
    public async Task Roles_FourDefaultsExist_WithTwilioPermissions()
    {
        var client = EmulatorClients.Twilio(Server);

        var roles = (await RoleResource.ReadAsync(client: client)).ToList();
        var configuration = await Twilio.Rest.Conversations.V1.Service.ConfigurationResource.FetchAsync(Server.DefaultServiceSid, client: client);

        roles.Select(r => r.FriendlyName).Should().Contain(["service admin", "service user", "channel admin", "channel user"]);
        var serviceUser = roles.Single(r => r.FriendlyName == "service user");
        serviceUser.Type.Should().Be(RoleResource.RoleTypeEnum.Service);
        serviceUser.Permissions.Should().Contain(["createConversation", "joinConversation", "editOwnUserInfo"]);
        roles.Single(r => r.FriendlyName == "channel user").Permissions.Should().Contain("sendMessage");
        configuration.DefaultChatServiceRoleSid.Should().Be(serviceUser.Sid);
        configuration.DefaultConversationRoleSid.Should().Be(roles.Single(r => r.FriendlyName == "channel user").Sid);
        configuration.DefaultConversationCreatorRoleSid.Should().Be(roles.Single(r => r.FriendlyName == "channel admin").Sid);
    }

    [Fact]
    public async Task Role_CreateFetchUpdateDelete_WithRepeatedPermission()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = EmulatorClients.Unique("participant");

        var created = await RoleResource.CreateAsync(name, RoleResource.RoleTypeEnum.Service, ["joinConversation", "editOwnUserInfo"], client: client);
        var fetched = await RoleResource.FetchAsync(created.Sid, client: client);
        var updated = await RoleResource.UpdateAsync(created.Sid, ["joinConversation"], client: client);
        var invalid = await Assert.ThrowsAsync<ApiException>(() => RoleResource.CreateAsync(name, RoleResource.RoleTypeEnum.Service, ["sendMessage"], client: client));
        await RoleResource.DeleteAsync(created.Sid, client: client);
        var gone = await Assert.ThrowsAsync<ApiException>(() => RoleResource.FetchAsync(created.Sid, client: client));

        created.Sid.Should().MatchRegex("^RL[0-9a-f]{32}$");
        fetched.Permissions.Should().Equal("joinConversation", "editOwnUserInfo");
        updated.Permissions.Should().Equal("joinConversation");
        invalid.Status.Should().Be(400);
        gone.Status.Should().Be(404);
    }

    [Fact]
    public async Task User_CreateWithRole_DuplicateIs50201_FetchByIdentity_Delete()
    {
        var client = EmulatorClients.Twilio(Server);
        var role = await RoleResource.CreateAsync(EmulatorClients.Unique("participant"), RoleResource.RoleTypeEnum.Service, ["joinConversation"], client: client);
        var identity = EmulatorClients.Unique("frank");

        var user = await UserResource.CreateAsync(identity, roleSid: role.Sid, friendlyName: "Frank", client: client);
        var duplicate = await Assert.ThrowsAsync<ApiException>(() => UserResource.CreateAsync(identity, client: client));
        var byIdentity = await UserResource.FetchAsync(identity, client: client);
        var updated = await UserResource.UpdateAsync(identity, friendlyName: "Franky", client: client);
        var missingRole = await Assert.ThrowsAsync<ApiException>(() => UserResource.CreateAsync(EmulatorClients.Unique("x"), roleSid: "RL" + new string('0', 32), client: client));
        await UserResource.DeleteAsync(user.Sid, client: client);
        var gone = await Assert.ThrowsAsync<ApiException>(() => UserResource.FetchAsync(identity, client: client));

        user.Sid.Should().MatchRegex("^US[0-9a-f]{32}$");
        user.RoleSid.Should().Be(role.Sid);
        duplicate.Status.Should().Be(409);
        duplicate.Code.Should().Be(50201);
        byIdentity.Sid.Should().Be(user.Sid);
        updated.FriendlyName.Should().Be("Franky");
        missingRole.Status.Should().Be(400);
        gone.Status.Should().Be(404);
        gone.Code.Should().Be(20404);
    }

    [Fact]
    public async Task UserConversations_ListTheUsersMemberships_AndFollowDeletes()
    {
        var client = EmulatorClients.Twilio(Server);
        var identity = EmulatorClients.Unique("grace");
        var user = await UserResource.CreateAsync(identity, client: client);
        var a = await ConversationResource.CreateAsync(friendlyName: "A", uniqueName: EmulatorClients.Unique("a"), client: client);
        var b = await ConversationResource.CreateAsync(friendlyName: "B", client: client);
        await ConversationResource.CreateAsync(friendlyName: "not mine", client: client);
        var pa = await ParticipantResource.CreateAsync(a.Sid, identity: identity, client: client);
        await ParticipantResource.CreateAsync(b.Sid, identity: identity, client: client);
        await MessageResource.CreateAsync(a.Sid, body: "hi", client: client);

        var memberships = (await UserConversationResource.ReadAsync(Server.DefaultServiceSid, identity, client: client)).ToList();
        await ConversationResource.DeleteAsync(b.Sid, client: client);
        var afterDelete = (await UserConversationResource.ReadAsync(Server.DefaultServiceSid, user.Sid, client: client)).ToList();

        memberships.Select(m => m.ConversationSid).Should().Equal(a.Sid, b.Sid);
        var first = memberships[0];
        first.ChatServiceSid.Should().Be(Server.DefaultServiceSid);
        first.UserSid.Should().Be(user.Sid);
        first.ParticipantSid.Should().Be(pa.Sid);
        first.FriendlyName.Should().Be("A");
        first.UniqueName.Should().Be(a.UniqueName);
        first.ConversationState.Should().Be(UserConversationResource.StateEnum.Active);
        afterDelete.Select(m => m.ConversationSid).Should().Equal(a.Sid);
    }

    [Fact]
    public async Task Auth_WrongPassword_Is401With20003_AccountTokenWorks()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.ReadAsync(client: EmulatorClients.Twilio(Server, password: "wrong")));
        using var http = EmulatorClients.Raw(Server, useAccountToken: true);
        using var anonymous = new HttpClient();
        var withToken = await http.GetAsync("v1/Conversations", Ct);
        var noAuth = await anonymous.GetAsync($"{Server.BaseAddress}/v1/Conversations", Ct);

        e.Status.Should().Be(401);
        e.Code.Should().Be(20003);
        withToken.StatusCode.Should().Be(HttpStatusCode.OK);
        noAuth.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "v1/Foo", 404, 20404, "GET /v1/Foo")]
    [InlineData("GET", "v2/Conversations", 404, 20404, "GET /v2/Conversations")]
    [InlineData("PUT", "v1/Conversations", 405, 20004, "PUT /v1/Conversations")]
    [InlineData("GET", "v1/Credentials", 404, 20404, "GET /v1/Credentials")]
    public async Task UnsupportedPathOrMethod_IsAJsonErrorNamingIt(string method, string path, int status, int code, string named)
    {
        using var http = EmulatorClients.Raw(Server);

        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        ((int)response.StatusCode).Should().Be(status);
        body.GetProperty("code").GetInt32().Should().Be(code);
        body.GetProperty("status").GetInt32().Should().Be(status);
        body.GetProperty("message").GetString().Should().Contain(named);
        body.GetProperty("more_info").GetString().Should().Be($"https://www.twilio.com/docs/errors/{code}");
    }

    [Fact]
    public async Task Delete_Is204WithEmptyBody()
    {
        using var http = EmulatorClients.Raw(Server);
        var created = await http.PostAsync("v1/Conversations", EmulatorClients.Form(("FriendlyName", "x")), Ct);
        var sid = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString();

        var deleted = await http.DeleteAsync($"v1/Conversations/{sid}", Ct);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await deleted.Content.ReadAsByteArrayAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task UnreadCount_FollowsTheParticipantsReadHorizon_AndDeletingTheUserRemovesItsParticipants()
    {
        var client = EmulatorClients.Twilio(Server);
        var identity = EmulatorClients.Unique("ivy");
        var conversation = await ConversationResource.CreateAsync(client: client);
        var participant = await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);
        for (var i = 0; i < 3; i++)
        {
            await MessageResource.CreateAsync(conversation.Sid, body: $"m{i}", client: client);
        }

        var before = (await UserConversationResource.FetchAsync(Server.DefaultServiceSid, identity, conversation.Sid, client: client)).UnreadMessagesCount;
        var read = await ParticipantResource.UpdateAsync(conversation.Sid, participant.Sid, lastReadMessageIndex: 0, client: client);
        var after = (await UserConversationResource.FetchAsync(Server.DefaultServiceSid, identity, conversation.Sid, client: client)).UnreadMessagesCount;
        await UserResource.DeleteAsync(identity, client: client);
        var participants = (await ParticipantResource.ReadAsync(conversation.Sid, client: client)).ToList();
        await ConversationResource.DeleteAsync(conversation.Sid, client: client);
        using var http = EmulatorClients.Raw(Server);
        var messagesOfDeleted = await http.GetAsync($"v1/Conversations/{conversation.Sid}/Messages", Ct);

        before.Should().BeNull("no read horizon is set yet");
        read.LastReadMessageIndex.Should().Be(0);
        after.Should().Be(2);
        participants.Should().BeEmpty();
        messagesOfDeleted.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
