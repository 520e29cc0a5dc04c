using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using Twilio.Rest.Conversations.V1.User;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>The stores' indexes (participants by conversation, identity and binding; users; unique names) follow every write.</summary>
public sealed class ParticipantIndexTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task CreateParticipant_TwoThousandAcrossTwoHundredConversations_EachIsListedOnceWhereItBelongs()
    {
        // Correctness at a size where a scan per add would show; no timing is asserted.
        const int Conversations = 200;
        const int PerConversation = 10;
        using var http = EmulatorClients.Raw(Server);
        var prefix = EmulatorClients.Unique("crowd");
        var conversations = new string[Conversations];
        for (var c = 0; c < Conversations; c++)
        {
            conversations[c] = await SidOfAsync(await http.PostAsync("v1/Conversations", EmulatorClients.Form(), Ct));
        }

        // Add i puts identity i / 4 in conversation i % 200: every identity is in four rooms, every room has ten.
        using var gate = new SemaphoreSlim(8);
        var adds = Enumerable.Range(0, Conversations * PerConversation).Select(async i =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                var conversation = conversations[i % Conversations];
                var identity = $"{prefix}-{i / 4}";
                var response = await http.PostAsync($"v1/Conversations/{conversation}/Participants", EmulatorClients.Form(("Identity", identity)), Ct);
                response.StatusCode.Should().Be(HttpStatusCode.Created);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(adds);

        foreach (var conversation in conversations)
        {
            var listed = await http.GetFromJsonAsync<JsonElement>($"v1/Conversations/{conversation}/Participants?PageSize=100", Ct);
            var participants = listed.GetProperty("participants").EnumerateArray().ToList();
            participants.Should().HaveCount(PerConversation);
            participants.Select(p => p.GetProperty("identity").GetString()).Should().OnlyHaveUniqueItems();
            participants.Should().OnlyContain(p => p.GetProperty("conversation_sid").GetString() == conversation);
        }

        var memberships = await http.GetFromJsonAsync<JsonElement>($"v1/Users/{prefix}-7/Conversations?PageSize=50", Ct);
        memberships.GetProperty("conversations").EnumerateArray().Select(m => m.GetProperty("conversation_sid").GetString())
            .Should().BeEquivalentTo(conversations[28..32], "adds ran concurrently, so in any order");
        var duplicate = await http.PostAsync($"v1/Conversations/{conversations[28]}/Participants", EmulatorClients.Form(("Identity", $"{prefix}-7")), Ct);
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Indexes_FollowRenameRemoveAndDelete()
    {
        var client = EmulatorClients.Twilio(Server);
        var before = EmulatorClients.Unique("before");
        var after = EmulatorClients.Unique("after");
        var identity = EmulatorClients.Unique("mover");
        var address = "+1555" + Random.Shared.Next(1000000, 9999999);
        var conversation = await ConversationResource.CreateAsync(uniqueName: before, client: client);
        var sms = await ParticipantResource.CreateAsync(conversation.Sid, messagingBindingAddress: address,
            messagingBindingProxyAddress: "+15550007777", client: client);
        var chat = await ParticipantResource.CreateAsync(conversation.Sid, identity: identity, client: client);

        await ConversationResource.UpdateAsync(before, uniqueName: after, client: client);
        var oldName = await Assert.ThrowsAsync<ApiException>(() => ConversationResource.FetchAsync(before, client: client));
        var reused = await ConversationResource.CreateAsync(uniqueName: before, client: client);
        await ParticipantResource.DeleteAsync(after, sms.Sid, client: client);
        var smsAgain = await ParticipantResource.CreateAsync(reused.Sid, messagingBindingAddress: address,
            messagingBindingProxyAddress: "+15550007777", client: client);
        await UserResource.DeleteAsync(identity, client: client);
        var left = (await ParticipantResource.ReadAsync(after, client: client)).ToList();
        var chatGone = await Assert.ThrowsAsync<ApiException>(() => ParticipantResource.FetchAsync(after, identity, client: client));
        var rejoined = await ParticipantResource.CreateAsync(after, identity: identity, client: client);
        var memberships = (await UserConversationResource.ReadAsync(identity, client: client)).ToList();

        (await ConversationResource.FetchAsync(after, client: client)).Sid.Should().Be(conversation.Sid);
        oldName.Status.Should().Be(404);
        reused.Sid.Should().NotBe(conversation.Sid, "a freed unique name can be taken again");
        smsAgain.ConversationSid.Should().Be(reused.Sid, "a removed binding is free again");
        left.Should().BeEmpty();
        chatGone.Status.Should().Be(404);
        rejoined.Sid.Should().NotBe(chat.Sid);
        memberships.Select(m => m.ConversationSid).Should().Equal(conversation.Sid);
    }

    private static async Task<string> SidOfAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sid").GetString()!;
    }
}
