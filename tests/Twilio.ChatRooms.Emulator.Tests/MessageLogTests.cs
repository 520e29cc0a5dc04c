using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// The compact store of one conversation's messages, on its own: what the REST tests cannot reach cheaply (messages
/// loaded out of index order, more distinct authors than are shared, texts that are empty or absent).
/// </summary>
public sealed class MessageLogTests
{
    private static readonly DateTimeOffset Sent = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_OutOfIndexOrder_ReadsBackInIndexOrder()
    {
        var log = new MessageLog("IS1", "CH1");
        foreach (var index in new[] { 5, 1, 9, 3 })
        {
            log.Add(Message(index, $"body {index}"));
        }

        log.Select(m => m.Index).Should().Equal(1, 3, 5, 9);
        log.Select(m => m.Body).Should().Equal("body 1", "body 3", "body 5", "body 9");
        log.IndexAt(2).Should().Be(5);
        log.Last!.Index.Should().Be(9);
        log.CountAfter(3).Should().Be(2);
        log.CountAfter(4).Should().Be(2);
        log.CountAfter(9).Should().Be(0);
        log.Invoking(l => l.Add(Message(3, "again"))).Should().Throw<InvalidOperationException>();
        log.Count.Should().Be(4);
    }

    [Fact]
    public void Add_MoreDistinctAuthorsThanAreShared_EachReadsBackAsWritten()
    {
        var log = new MessageLog("IS1", "CH1");
        for (var i = 0; i < 600; i++)
        {
            log.Add(Message(i, body: i % 2 == 0 ? "" : null, author: $"author-{i}", participantSid: i % 3 == 0 ? null : $"MB{i:D32}"));
        }

        log.Should().HaveCount(600);
        log.Select(m => m.Author).Should().Equal(Enumerable.Range(0, 600).Select(i => $"author-{i}"));
        log.Select(m => m.Body).Should().Equal(Enumerable.Range(0, 600).Select(i => i % 2 == 0 ? "" : null));
        log.Select(m => m.ParticipantSid).Should().Equal(Enumerable.Range(0, 600).Select(i => i % 3 == 0 ? null : $"MB{i:D32}"));
        log.Should().AllSatisfy(m => (m.ServiceSid, m.ConversationSid, m.DateCreated).Should().Be(("IS1", "CH1", Sent)));
    }

    [Fact]
    public void ReplaceAndRemove_UntilCompacted_LeaveTheOthersIntact()
    {
        var log = new MessageLog("IS1", "CH1");
        for (var i = 0; i < 10; i++)
        {
            log.Add(Message(i, $"kept {i}"));
        }

        for (var round = 0; round < 40; round++)
        {
            log.Replace(Message(4, new string('x', 5_000) + round) with { DateUpdated = Sent.AddSeconds(round + 1) });
        }

        var wastedAfterEdits = log.WastedChars;
        log.Remove(7);

        wastedAfterEdits.Should().BeLessThan(64 * 1024 + 5_100, "the texts were written afresh once the unused ones outgrew the used");
        log.Select(m => m.Index).Should().Equal(0, 1, 2, 3, 4, 5, 6, 8, 9);
        log.Where(m => m.Index != 4).Select(m => m.Body).Should().Equal(new[] { 0, 1, 2, 3, 5, 6, 8, 9 }.Select(i => $"kept {i}"));
        log.TryGet(4, out var edited).Should().BeTrue();
        edited.Body.Should().Be(new string('x', 5_000) + 39);
        edited.DateUpdated.Should().Be(Sent.AddSeconds(40));
        log.FindBySid(Sid(8))!.Body.Should().Be("kept 8");
        log.FindBySid(Sid(7)).Should().BeNull();
        log.TryGet(7, out _).Should().BeFalse();
    }

    private static string Sid(int index) => $"IM{index:D32}";

    private static MessageRecord Message(int index, string? body, string author = "ann", string? participantSid = "MB00000000000000000000000000000001") =>
        new(Sid(index), "IS1", "CH1", index, author, body, "{}", participantSid, Sent, Sent);
}
