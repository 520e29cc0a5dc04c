using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Twilio.ChatRooms.TestSupport;
using Twilio.Rest.Conversations.V1;
using Twilio.Rest.Conversations.V1.Conversation;
using Twilio.Rest.Conversations.V1.User;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>SMS participants without a phone: texts in through <c>sms/inbound</c>, texts out in <c>sms/outbox</c>.</summary>
public sealed class SmsTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private const string Proxy = "+15550009000";

    [Fact]
    public async Task Inbound_FromAnSmsParticipant_ReachesAConnectedChatParticipantAndMovesUnreadCounts()
    {
        var client = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var phone = NewPhone();
        var room = await ConversationResource.CreateAsync(client: client);
        var chat = await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: client);
        var sms = await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: phone, messagingBindingProxyAddress: Proxy, client: client);
        await MessageResource.CreateAsync(room.Sid, author: alice, body: "hello phone", client: client);
        await ParticipantResource.UpdateAsync(room.Sid, chat.Sid, lastReadMessageIndex: 0, client: client);
        await using var twilsock = await Twilsock.ConnectAsync(Server, alice, Ct);
        await twilsock.SubscribeAsync([room.Sid + ".messages"], Ct);
        using var http = EmulatorClients.Raw(Server);

        var response = await http.PostAsync("sms/inbound", EmulatorClients.Form(("From", phone), ("To", Proxy), ("Body", "hello chat")), Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var received = await Twilsock.WaitForEventAsync(twilsock, "list_item_added", room.Sid + ".messages", e => (string?)e["item_data"]!["text"] == "hello chat", Ct);
        var membership = await UserConversationResource.FetchAsync(alice, room.Sid, client: client);
        var stored = (await MessageResource.ReadAsync(room.Sid, client: client)).ToList();

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var message = answer.GetProperty("messages").EnumerateArray().Should().ContainSingle().Subject;
        message.GetProperty("sid").GetString().Should().MatchRegex("^IM[0-9a-f]{32}$");
        message.GetProperty("author").GetString().Should().Be(phone);
        message.GetProperty("participant_sid").GetString().Should().Be(sms.Sid);
        message.GetProperty("conversation_sid").GetString().Should().Be(room.Sid);
        message.GetProperty("index").GetInt32().Should().Be(1);
        received["item_index"]!.GetValue<int>().Should().Be(1);
        received["item_data"]!["author"]!.GetValue<string>().Should().Be(phone);
        membership.UnreadMessagesCount.Should().Be(1);
        stored.Select(m => m.Body).Should().Equal("hello phone", "hello chat");
        (await OutboxAsync(http, phone)).Select(m => m.GetProperty("body").GetString()).Should().Equal(["hello phone"],
            "the phone's own text is not echoed back to it");
    }

    [Fact]
    public async Task ChatMessageThroughTwilsock_ToARoomWithAnSmsParticipant_IsInTheOutboxAddressedToTheNumber()
    {
        var client = EmulatorClients.Twilio(Server);
        var alice = EmulatorClients.Unique("alice");
        var phone = NewPhone();
        var room = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: alice, client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: phone, messagingBindingProxyAddress: Proxy, client: client);
        await using var twilsock = await Twilsock.ConnectAsync(Server, alice, Ct);
        using var http = EmulatorClients.Raw(Server);

        var index = await Twilsock.SendAsync(twilsock, Server, room.Sid, "to your phone", Ct);
        var message = await MessageResource.FetchAsync(room.Sid, index.ToString(System.Globalization.CultureInfo.InvariantCulture), client: client);
        var outbox = await OutboxAsync(http, phone);

        var sms = outbox.Should().ContainSingle().Subject;
        sms.GetProperty("sid").GetString().Should().MatchRegex("^SM[0-9a-f]{32}$");
        sms.GetProperty("to").GetString().Should().Be(phone);
        sms.GetProperty("from").GetString().Should().Be(Proxy);
        sms.GetProperty("body").GetString().Should().Be("to your phone");
        sms.GetProperty("conversationSid").GetString().Should().Be(room.Sid);
        sms.GetProperty("messageSid").GetString().Should().Be(message.Sid);
        sms.GetProperty("messageIndex").GetInt32().Should().Be(index);
        sms.GetProperty("author").GetString().Should().Be(alice);
        sms.GetProperty("dateCreated").GetString().Should().EndWith("Z");
    }

    [Fact]
    public async Task Inbound_FromOneSmsParticipant_GoesToTheOtherSmsParticipantsOnly()
    {
        var client = EmulatorClients.Twilio(Server);
        var (first, second) = (NewPhone(), NewPhone());
        var room = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: first, messagingBindingProxyAddress: Proxy, client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: second, messagingBindingProxyAddress: Proxy, client: client);
        using var http = EmulatorClients.Raw(Server);

        (await http.PostAsync("sms/inbound", EmulatorClients.Form(("From", first), ("To", Proxy), ("Body", "one")), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await http.PostAsync("sms/inbound", EmulatorClients.Form(("From", second), ("To", Proxy), ("Body", "two")), Ct)).StatusCode.Should().Be(HttpStatusCode.Created);
        var toFirst = await OutboxAsync(http, first);
        var toSecond = await OutboxAsync(http, second);
        var all = await http.GetFromJsonAsync<JsonElement>("sms/outbox", Ct);

        toFirst.Select(m => (m.GetProperty("author").GetString(), m.GetProperty("body").GetString())).Should().Equal((second, "two"));
        toSecond.Select(m => (m.GetProperty("author").GetString(), m.GetProperty("body").GetString())).Should().Equal((first, "one"));
        var ours = all.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("conversationSid").GetString() == room.Sid);
        ours.Select(m => m.GetProperty("body").GetString()).Should().Equal(["one", "two"], "the outbox is oldest first");
    }

    [Fact]
    public async Task Inbound_BadRequest_IsRefusedAndChangesNothing()
    {
        var client = EmulatorClients.Twilio(Server);
        var phone = NewPhone();
        var room = await ConversationResource.CreateAsync(client: client);
        await ParticipantResource.CreateAsync(room.Sid, identity: EmulatorClients.Unique("alice"), client: client);
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: phone, messagingBindingProxyAddress: Proxy, client: client);
        var other = NewPhone();
        await ParticipantResource.CreateAsync(room.Sid, messagingBindingAddress: other, messagingBindingProxyAddress: Proxy, client: client);
        using var http = EmulatorClients.Raw(Server);
        using var stranger = EmulatorClients.Raw(Server);
        stranger.DefaultRequestHeaders.Authorization = EmulatorClients.Basic("AC0", "wrong");

        var noFrom = await ErrorAsync(await http.PostAsync("sms/inbound", EmulatorClients.Form(("To", Proxy), ("Body", "x")), Ct));
        var noTo = await ErrorAsync(await http.PostAsync("sms/inbound", EmulatorClients.Form(("From", phone), ("Body", "x")), Ct));
        var noBody = await ErrorAsync(await http.PostAsync("sms/inbound", EmulatorClients.Form(("From", phone), ("To", Proxy)), Ct));
        var unknown = await ErrorAsync(await http.PostAsync("sms/inbound", EmulatorClients.Form(("From", phone), ("To", "+15550001234"), ("Body", "x")), Ct));
        var unauthorized = await ErrorAsync(await stranger.PostAsync("sms/inbound", EmulatorClients.Form(("From", phone), ("To", Proxy), ("Body", "x")), Ct));
        var wrongMethod = await ErrorAsync(await http.GetAsync("sms/inbound", Ct));

        noFrom.Should().Match<(int Status, int Code, string Message)>(e => e.Status == 400 && e.Code == 20001 && e.Message.Contains("From"));
        noTo.Should().Match<(int Status, int Code, string Message)>(e => e.Status == 400 && e.Message.Contains("To"));
        noBody.Should().Match<(int Status, int Code, string Message)>(e => e.Status == 400 && e.Message.Contains("Body"));
        unknown.Should().Match<(int Status, int Code, string Message)>(e =>
            e.Status == 404 && e.Code == 20404 && e.Message.Contains(phone) && e.Message.Contains("+15550001234"));
        unauthorized.Status.Should().Be(401);
        wrongMethod.Status.Should().Be(405);
        (await MessageResource.ReadAsync(room.Sid, client: client)).Should().BeEmpty();
        (await OutboxAsync(http, other)).Should().BeEmpty();
    }

    private static string NewPhone() => "+1555" + Random.Shared.Next(1000000, 9999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<JsonElement>> OutboxAsync(HttpClient http, string to)
    {
        var outbox = await http.GetFromJsonAsync<JsonElement>($"sms/outbox?to={Uri.EscapeDataString(to)}", Ct);
        return [.. outbox.GetProperty("messages").EnumerateArray()];
    }

    private static async Task<(int Status, int Code, string Message)> ErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("more_info").GetString().Should().StartWith("https://www.twilio.com/docs/errors/");
        return ((int)response.StatusCode, body.GetProperty("code").GetInt32(), body.GetProperty("message").GetString()!);
    }
}
