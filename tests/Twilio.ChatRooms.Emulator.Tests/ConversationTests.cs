using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests;

public sealed class ConversationTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Conversation_CreateFetchListDelete_ByUniqueName()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = EmulatorClients.Unique("room");

        var created = await ConversationResource.CreateAsync(friendlyName: "Room", uniqueName: name, attributes: "{\"a\":1}", client: client);
        var fetched = await ConversationResource.FetchAsync(name, client: client);
        var listed = (await ConversationResource.ReadAsync(pageSize: 100, client: client)).ToList();
        await ConversationResource.DeleteAsync(name, client: client);
        var afterDelete = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.FetchAsync(created.Sid, client: client));

        created.Sid.Should().MatchRegex("^CH[0-9a-f]{32}$");
        created.ChatServiceSid.Should().Be(Server.DefaultServiceSid);
        created.AccountSid.Should().Be(Server.Credentials.AccountSid);
        created.Attributes.Should().Be("{\"a\":1}");
        created.State.Should().Be(ConversationResource.StateEnum.Active);
        created.DateCreated.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        fetched.Sid.Should().Be(created.Sid);
        fetched.FriendlyName.Should().Be("Room");
        fetched.UniqueName.Should().Be(name);
        listed.Should().Contain(c => c.Sid == created.Sid);
        afterDelete.Status.Should().Be(404);
        afterDelete.Code.Should().Be(20404);
    }

    [Fact]
    public async Task Conversation_UpdateChangesFields_AndServiceScopedPathsSeeTheSameState()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = EmulatorClients.Unique("room");
        var created = await Twilio.Rest.Conversations.V1.Service.ConversationResource.CreateAsync(Server.DefaultServiceSid, friendlyName: "Before", uniqueName: name, client: client);

        var updated = await ConversationResource.UpdateAsync(created.Sid, friendlyName: "After", attributes: "{\"x\":true}", client: client);
        var fetched = await Twilio.Rest.Conversations.V1.Service.ConversationResource.FetchAsync(Server.DefaultServiceSid, name, client: client);

        updated.FriendlyName.Should().Be("After");
        fetched.FriendlyName.Should().Be("After");
        fetched.Attributes.Should().Be("{\"x\":true}");
        fetched.Url.ToString().Should().Contain($"/v1/Services/{Server.DefaultServiceSid}/Conversations/{created.Sid}");
    }

    [Fact]
    public async Task Conversation_DuplicateUniqueName_Is409With50353()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = EmulatorClients.Unique("dup");
        await ConversationResource.CreateAsync(uniqueName: name, client: client);

        var e = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.CreateAsync(uniqueName: name, client: client));

        e.Status.Should().Be(409);
        e.Code.Should().Be(50353);
        e.MoreInfo.Should().Be("https://www.twilio.com/docs/errors/50353");
    }

    [Fact]
    public async Task Conversation_FiftyParallelCreatesOfOneUniqueName_ExactlyOneSucceeds()
    {
        using var http = EmulatorClients.Raw(Server);
        var name = EmulatorClients.Unique("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            http.PostAsync("v1/Conversations", EmulatorClients.Form(("UniqueName", name)), Ct)));
        var codes = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Conflict)
            .Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetInt32()));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(49);
        codes.Should().OnlyContain(c => c == 50353);
    }

    [Fact]
    public async Task Conversation_InvalidInput_Is400()
    {
        var client = EmulatorClients.Twilio(Server);

        var longName = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.CreateAsync(friendlyName: new string('x', 257), client: client));
        var badAttributes = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.CreateAsync(attributes: "{not json", client: client));
        var bigAttributes = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.CreateAsync(attributes: $"{{\"a\":\"{new string('x', 17 * 1024)}\"}}", client: client));
        var ok = await ConversationResource.CreateAsync(friendlyName: new string('x', 256), client: client);

        longName.Status.Should().Be(400);
        badAttributes.Status.Should().Be(400);
        bigAttributes.Status.Should().Be(400);
        ok.FriendlyName.Should().HaveLength(256);
    }

    [Fact]
    public async Task Participant_DuplicateIdentity_Is409With50433_AndFetchByIdentityWorks()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var identity = EmulatorClients.Unique("alice");
        var participant = await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);

        var e = await Assert.ThrowsAsync<ApiException>(() => ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client));
        var byIdentity = await ParticipantResource.FetchAsync(conversation.Sid, identity, client: client);
        var user = await UserResource.FetchAsync(identity, client: client);

        participant.Sid.Should().MatchRegex("^MB[0-9a-f]{32}$");
        participant.ConversationSid.Should().Be(conversation.Sid);
        e.Status.Should().Be(409);
        e.Code.Should().Be(50433);
        byIdentity.Sid.Should().Be(participant.Sid);
        user.Identity.Should().Be(identity, "adding a chat participant creates its user");
    }

    [Fact]
    public async Task CreateParticipant_IdentityWithoutUser_CreatesTheUserWithTheServiceDefaultRole()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var identity = EmulatorClients.Unique("newcomer");
        var before = await Assert.ThrowsAsync<ApiException>(() => UserResource.FetchAsync(identity, client: client));

        await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);
        var user = await UserResource.FetchAsync(identity, client: client);
        var configuration = await Twilio.Rest.Conversations.V1.Service.ConfigurationResource.FetchAsync(Server.DefaultServiceSid, client: client);
        var again = await Assert.ThrowsAsync<ApiException>(() => UserResource.CreateAsync(identity, client: client));

        before.Status.Should().Be(404);
        user.RoleSid.Should().Be(configuration.DefaultChatServiceRoleSid);
        again.Code.Should().Be(50201, "the implicitly created user is a real user");
    }

    [Fact]
    public async Task Participant_SmsBinding_IsUniquePerAddressAndProxy()
    {
        var client = EmulatorClients.Twilio(Server);
        var first = await ConversationResource.CreateAsync(client: client);
        var second = await ConversationResource.CreateAsync(client: client);
        var address = "+1555" + Random.Shared.Next(1000000, 9999999);

        var sms = await ParticipantResource.CreateAsync(first.Sid, messagingBindingAddress: address, messagingBindingProxyAddress: "+15550000001", client: client);
        var e = await Assert.ThrowsAsync<ApiException>(() => ParticipantResource.CreateAsync(second.Sid, messagingBindingAddress: address, messagingBindingProxyAddress: "+15550000001", client: client));
        var otherProxy = await ParticipantResource.CreateAsync(second.Sid, messagingBindingAddress: address, messagingBindingProxyAddress: "+15550000002", client: client);

        sms.Identity.Should().BeNull();
        sms.MessagingBinding.ToString().Should().Contain(address);
        e.Status.Should().Be(409);
        e.Code.Should().Be(50416);
        otherProxy.Sid.Should().NotBe(sms.Sid);
    }

    [Fact]
    public async Task Participants_AreListedAndDeleted_AndGoWithTheirConversation()
    {
        var client = EmulatorClients.Twilio(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        var identity = EmulatorClients.Unique("bob");
        await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);
        var other = await ParticipantResource.CreateAsync(conversation.Sid, identity: EmulatorClients.Unique("carol"), client: client);

        await ParticipantResource.DeleteAsync(conversation.Sid, identity, client: client);
        var remaining = (await ParticipantResource.ReadAsync(conversation.Sid, client: client)).Select(p => p.Sid).ToList();
        await ConversationResource.DeleteAsync(conversation.Sid, client: client);
        var gone = await Assert.ThrowsAsync<ApiException>(() => ParticipantResource.FetchAsync(conversation.Sid, other.Sid, client: client));

        remaining.Should().Equal(other.Sid);
        gone.Status.Should().Be(404);
    }
}
