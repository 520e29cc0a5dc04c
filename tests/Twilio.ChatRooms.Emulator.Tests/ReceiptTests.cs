using System.Net;
using Newtonsoft.Json.Linq;
using Twilio.ChatRooms.TestSupport;
using Twilio.Exceptions;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using Twilio.Rest.Conversations.V1.Conversation.Message;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// A message's delivery receipts through Twilio's C# SDK: none for chat participants (they have read horizons), one per
/// SMS participant the message was texted to, fetched by its sid; and the message's aggregated receipt (its
/// <c>delivery</c>), counted from the same texts.
/// </summary>
public sealed class ReceiptTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private const string Proxy = "+15550009001";

    [Fact]
    public async Task ChatOnlyMessage_HasNoReceiptsNorDeliverySummary_AndAnUnknownReceiptIsNotFound()
    {
        var client = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var room = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: EmulatorClients.Unique("bob"), client: client);
        var message = await MessageResource.CreateAsync(room.Sid, author: alice, body: "chat only", client: client);

        var fetched = await MessageResource.FetchAsync(room.Sid, message.Sid, client: client);
        var receipts = await DeliveryReceiptResource.ReadAsync(room.Sid, message.Sid, client: client);
        var unknown = () => DeliveryReceiptResource.FetchAsync(room.Sid, message.Sid, "DY" + new string('0', 32), client: client);
        var noMessage = () => DeliveryReceiptResource.ReadAsync(room.Sid, "IM" + new string('0', 32), client: client);

        receipts.Should().BeEmpty();
        message.Delivery.Should().BeNull("Twilio's delivery summarises delivery to non-chat participants only");
        fetched.Delivery.Should().BeNull();
        (await unknown.Should().ThrowAsync<ApiException>()).Which.Status.Should().Be((int)HttpStatusCode.NotFound);
        (await noMessage.Should().ThrowAsync<ApiException>()).Which.Code.Should().Be(20404);
    }

    [Fact]
    public async Task MessageTextedToAnSmsParticipant_HasOneSentReceiptForIt_FetchedBySid()
    {
        var client = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var room = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: client);
        var sms = await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: phone, messagingBindingProxyAddress: Proxy, client: client);
        var message = await MessageResource.CreateAsync(room.Sid, author: alice, body: "to the phone", client: client);

        var receipt = (await DeliveryReceiptResource.ReadAsync(room.Sid, message.Sid, client: client)).Should().ContainSingle().Subject;
        var fetched = await DeliveryReceiptResource.FetchAsync(room.Sid, message.Sid, receipt.Sid, client: client);

        receipt.Sid.Should().MatchRegex("^DY[0-9a-f]{32}$");
        receipt.ParticipantSid.Should().Be(sms.Sid);
        receipt.MessageSid.Should().Be(message.Sid);
        receipt.ConversationSid.Should().Be(room.Sid);
        receipt.ChannelMessageSid.Should().MatchRegex("^SM[0-9a-f]{32}$");
        receipt.Status.Should().Be(DeliveryReceiptResource.DeliveryStatusEnum.Sent);
        fetched.Sid.Should().Be(receipt.Sid);
        fetched.ParticipantSid.Should().Be(sms.Sid);
    }

    [Fact]
    public async Task MessageTextedToTwoSmsParticipants_HasTheirSummary_AllSent_CountedFromTheirReceipts()
    {
        var client = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var room = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: Phone(), messagingBindingProxyAddress: Proxy, client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: Phone(), messagingBindingProxyAddress: "+15550009002", client: client);

        var created = await MessageResource.CreateAsync(room.Sid, author: alice, body: "to both phones", client: client);
        var fetched = await MessageResource.FetchAsync(room.Sid, created.Sid, client: client);
        var receipts = await DeliveryReceiptResource.ReadAsync(room.Sid, created.Sid, client: client);

        foreach (var message in new[] { created, fetched })
        {
            var delivery = JObject.FromObject(message.Delivery);
            delivery["total"]!.Value<int>().Should().Be(receipts.Count()).And.Be(2);
            delivery["sent"]!.Value<string>().Should().Be("all");
            new[] { "delivered", "read", "undelivered", "failed" }.Select(s => delivery[s]!.Value<string>()).Should().AllBe("none");
        }
    }

    private static string Phone() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
