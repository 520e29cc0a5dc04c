using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>A message rule said once: both faces reach the same operation of MessageRules, so REST keeps it too.</summary>
public sealed class MessageDecisionTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Edit_OverRestWithAnEmptyBody_IsRefusedAsOverTheSocket_AndTheMessageKeepsItsBody()
    {
        var client = EmulatorClients.Twilio(Server);
        var room = await ConversationResource.CreateAsync(client: client);
        var sent = await MessageResource.CreateAsync(room.Sid, author: "alice", body: "keep me", client: client);

        var refused = await Assert.ThrowsAsync<ApiException>(() => MessageResource.UpdateAsync(room.Sid, sent.Sid, body: "", client: client));

        refused.Status.Should().Be(400);
        refused.Code.Should().Be(50503);
        (await MessageResource.FetchAsync(room.Sid, sent.Sid, client: client)).Body.Should().Be("keep me");
    }
}
