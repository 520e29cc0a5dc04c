using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator;
using Twilio.ChatRooms.TestSupport;
using static ClientProtocol.Tests.SdkTestKit;

namespace ClientProtocol.Tests;

/// <summary>
/// The methods of @twilio/conversations 3.x that docs/sdk-coverage.md marks served and no other test calls, each
/// called through the real SDK (conversations-coverage-probe.mjs) and its result read back.
/// </summary>
public sealed class SdkCoverageTests
{
    [Fact]
    public async Task ConversationParticipantMessageAndUserMethods_AnswerAsTwilioDoes()
    {
        await using var server = await ConversationsEmulatorServer.StartAsync(cancellationToken: Ct);
        await using var library = EmulatorBackedLibrary.Create(server);

        var events = await RunProbeAsync(server, "conversations-coverage-probe.mjs", [await library.TokenAsync("alice"), await library.TokenAsync("bob")]);

        string Dump() => string.Join('\n', events);
        JsonNode? Value(string name)
        {
            var e = One(events, name);
            e["ok"]!.GetValue<bool>().Should().BeTrue($"{name}: {Dump()}");
            return e["value"];
        }

        One(events, "conversationAdded")["sid"]!.GetValue<bool>().Should().BeTrue();
        One(events, "typingEnded")["identity"]!.GetValue<string>().Should().Be("alice");
        One(events, "participantUpdated")["lastReadMessageIndex"]!.GetValue<int>().Should().Be(1);
        One(events, "userSubscribed")["identity"]!.GetValue<string>().Should().Be("bob");
        One(events, "userUnsubscribed")["identity"]!.GetValue<string>().Should().Be("bob");
        Value("getConversationByUniqueName")!.GetValue<bool>().Should().BeTrue();
        Value("getAttributes")!["topic"]!.GetValue<string>().Should().Be("a");
        Value("updateAttributes")!.GetValue<string>().Should().Be("updated");
        One(events, "bobSawAttributes")["attributes"]!["topic"]!.GetValue<string>().Should().Be("b");
        Value("updateUniqueName")!.GetValue<string>().Should().Be("renamed");
        One(events, "uniqueName")["value"]!.GetValue<string>().Should().Be("coverage-renamed");
        Value("getConversationByUniqueNameAfterRename")!.GetValue<bool>().Should().BeTrue();
        Value("getParticipantsCount")!.GetValue<int>().Should().Be(2);
        Value("getParticipantByIdentity")!.GetValue<string>().Should().Be("bob");
        Value("getParticipantBySid")!.GetValue<string>().Should().Be("bob");
        Value("getMessagesCount")!.GetValue<int>().Should().Be(4, "alice's typed message and bob's three");
        Value("updateLastReadMessageIndex")!.GetValue<int>().Should().Be(2, "messages 2 and 3 are after index 1");
        Value("advanceLastReadMessageIndex")!.GetValue<int>().Should().Be(1);
        Value("setAllMessagesUnread")!.GetValue<string>().Should().Be("unread");
        One(events, "horizonCleared")["lastReadMessageIndex"].Should().BeNull("no message is read any more");
        Value("getParticipant")!.GetValue<string>().Should().Be("bob");
        Value("participantGetUser")!.GetValue<string>().Should().Be("bob");
        Value("getSubscribedUsers")!.AsArray().Select(u => (string)u!).Should().Contain(["alice", "bob"]);
        Value("unsubscribe")!.GetValue<bool>().Should().BeFalse();
        Value("participantUpdateAttributes")!.GetValue<string>().Should().Be("bob");
        One(events, "aliceSawSeat")["attributes"]!["seat"]!.GetValue<int>().Should().Be(3);
        One(events, "participantObjectUpdated")["attributes"]!["seat"]!.GetValue<int>().Should().Be(3);
        var refused = One(events, "othersParticipantUpdateAttributes");
        refused["ok"]!.GetValue<bool>().Should().BeFalse("a chat user changes only their own participant");
        ((string)refused["error"]!).Should().NotContainEquivalentOf("not found", "the request is served and refused, not unknown");
        Value("aliceAttributesKept")!.AsObject().Should().BeEmpty("the refused change changed nothing");
        Value("getDetailedDeliveryReceipts")!.GetValue<int>().Should().Be(0, "chat participants get no delivery receipts");
        One(events, "aggregatedDeliveryReceipt")["value"].Should().BeNull();
        Value("addNonChatParticipant")!.GetValue<string>().Should().Be("added");
        var receipt = Value("smsDeliveryReceipts")!.AsArray().Should().ContainSingle().Subject!;
        ((string)receipt["status"]!).Should().Be("sent");
        ((string)receipt["participantSid"]!).Should().Be((string)One(events, "smsParticipant")["sid"]!);
        ((string)receipt["channelMessageSid"]!).Should().MatchRegex("^SM[0-9a-f]{32}$");
        var aggregated = One(events, "smsAggregatedDeliveryReceipt")["value"];
        aggregated.Should().NotBeNull("a message texted to an SMS participant has its delivery summary");
        aggregated!["total"]!.GetValue<int>().Should().Be(1, "the message was texted to the one SMS participant");
        ((string)aggregated!["sent"]!).Should().Be("all");
        new[] { "delivered", "read", "undelivered", "failed" }.Select(s => (string)aggregated![s]!).Should().AllBe("none");
        Value("removeParticipant")!.GetValue<string>().Should().Be("removed");
        One(events, "bobLeft")["status"]!.GetValue<string>().Should().Be("notParticipating");
        Value("setPushRegistrationId")!.GetValue<string>().Should().Be("registered");
        Value("unsetPushRegistrationId")!.GetValue<string>().Should().Be("unregistered");
        Value("removePushRegistrations")!.GetValue<string>().Should().Be("removed");
    }
}
