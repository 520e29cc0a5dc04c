using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using Twilio.Rest.Conversations.V1.User;
using ServiceConversation = Twilio.Rest.Conversations.V1.Service.ConversationResource;
using ServiceUser = Twilio.Rest.Conversations.V1.Service.UserResource;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>Unique names and identities holding <c>/</c>, sent escaped (<c>%2F</c>) in the path as the library sends them.</summary>
public sealed class EscapedKeyTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Conversation_UniqueNameWithSlash_IsFoundOnBothPathFormsForFetchUpdateAndDelete()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = $"team/{Guid.NewGuid():N}/50% off";
        var key = Uri.EscapeDataString(name);
        using var http = EmulatorClients.Raw(Server);
        var created = await ConversationResource.CreateAsync(uniqueName: name, client: client);

        var fetched = await ConversationResource.FetchAsync(key, client: client);
        var scoped = await ServiceConversation.FetchAsync(Server.DefaultServiceSid, key, client: client);
        var updated = await ConversationResource.UpdateAsync(key, friendlyName: "renamed", client: client);
        var scopedUpdate = await ServiceConversation.UpdateAsync(Server.DefaultServiceSid, key, attributes: "{\"x\":1}", client: client);
        var participant = await ParticipantResource.CreateAsync(key, identity: EmulatorClients.Unique("member"), client: client);
        var participants = await http.GetFromJsonAsync<JsonElement>($"v1/Conversations/{key}/Participants", Ct);
        var unescaped = await http.GetAsync($"v1/Conversations/{name}", Ct);
        await ConversationResource.DeleteAsync(key, client: client);
        var gone = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.FetchAsync(created.Sid, client: client));

        fetched.Sid.Should().Be(created.Sid);
        scoped.Sid.Should().Be(created.Sid);
        updated.FriendlyName.Should().Be("renamed");
        scopedUpdate.Attributes.Should().Be("{\"x\":1}");
        scopedUpdate.UniqueName.Should().Be(name);
        participant.ConversationSid.Should().Be(created.Sid);
        participants.GetProperty("participants").GetArrayLength().Should().Be(1);
        participants.GetProperty("meta").GetProperty("url").GetString().Should().Contain($"/Conversations/{key}/Participants");
        unescaped.StatusCode.Should().Be(HttpStatusCode.NotFound, "an unescaped / separates path segments");
        gone.Status.Should().Be(404);
    }

    [Fact]
    public async Task Conversation_ServiceScopedDeleteByEscapedUniqueName_Deletes()
    {
        var client = EmulatorClients.Twilio(Server);
        var name = $"a/b/{Guid.NewGuid():N}";
        var created = await ConversationResource.CreateAsync(uniqueName: name, client: client);

        await ServiceConversation.DeleteAsync(Server.DefaultServiceSid, Uri.EscapeDataString(name), client: client);
        var gone = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.FetchAsync(created.Sid, client: client));

        gone.Status.Should().Be(404);
    }

    [Fact]
    public async Task User_IdentityWithSlash_IsFoundForFetchUpdateConversationsAndDelete()
    {
        var client = EmulatorClients.Twilio(Server);
        var identity = $"org/{Guid.NewGuid():N}";
        var key = Uri.EscapeDataString(identity);
        using var http = EmulatorClients.Raw(Server);
        var conversation = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);

        var fetched = await UserResource.FetchAsync(key, client: client);
        var scoped = await ServiceUser.FetchAsync(Server.DefaultServiceSid, key, client: client);
        var updated = await UserResource.UpdateAsync(key, friendlyName: "Org user", client: client);
        var memberships = (await UserConversationResource.ReadAsync(key, client: client)).ToList();
        var rawMemberships = await http.GetFromJsonAsync<JsonElement>($"v1/Services/{Server.DefaultServiceSid}/Users/{key}/Conversations", Ct);
        await UserResource.DeleteAsync(key, client: client);
        var gone = await Assert.ThrowsAsync<ApiException>(() => UserResource.FetchAsync(fetched.Sid, client: client));

        fetched.Identity.Should().Be(identity);
        scoped.Sid.Should().Be(fetched.Sid);
        updated.FriendlyName.Should().Be("Org user");
        memberships.Select(m => m.ConversationSid).Should().Equal(conversation.Sid);
        rawMemberships.GetProperty("conversations").GetArrayLength().Should().Be(1);
        rawMemberships.GetProperty("meta").GetProperty("url").GetString().Should().Contain($"/Users/{key}/Conversations");
        gone.Status.Should().Be(404);
    }
}
