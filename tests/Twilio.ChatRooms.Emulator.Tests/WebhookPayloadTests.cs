using System.Text.Json;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>
/// A pending webhook's payload, packed into one array: it reads back every field as written and in its order, and is
/// stored as the same JSON object a dictionary was (a data directory written before reads back, and strictly).
/// </summary>
public sealed class WebhookPayloadTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_ReadsBackEveryFieldInItsOrder_EmptyLongAndNonAscii()
    {
        List<KeyValuePair<string, string>> fields =
        [
            new("Body", new string('x', 200) + "é😀"), // a length over 127 bytes takes two bytes to say
            new("Attributes", ""),
            new("Author", "zoë"),
            new("Index", "7"),
            new("Huge", new string('y', 20_000)),
        ];

        var payload = WebhookPayload.Of(fields);

        payload.Should().Equal(fields);
        payload.Count.Should().Be(5);
        payload.GetValueOrDefault("Author").Should().Be("zoë");
        payload.GetValueOrDefault("Huge").Should().HaveLength(20_000);
        payload.GetValueOrDefault("Missing").Should().BeNull();
        WebhookPayload.Of([]).Should().BeEmpty();
    }

    [Fact]
    public void StoredRecord_IsTheJsonObjectADictionaryWas_AndReadsBack()
    {
        var record = new WebhookDeliveryRecord(3, "WD" + new string('a', 32), "http://127.0.0.1:1/hook CH" + new string('b', 32), "http://127.0.0.1:1/hook",
            "POST", "onMessageAdded", WebhookPayload.Of([new("Body", "hi \"there\""), new("EventType", "onMessageAdded")]), Created);

        var json = StoredRecords.Serialize(record);

        using (var document = JsonDocument.Parse(json))
        {
            var payload = document.RootElement.GetProperty("Payload");
            payload.ValueKind.Should().Be(JsonValueKind.Object);
            payload.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).Should().Equal(("Body", "hi \"there\""), ("EventType", "onMessageAdded"));
        }

        var read = (WebhookDeliveryRecord)StoredRecords.Read(EmulatorState.WebhookDeliveryKind, record.Sid, null, json);
        read.Payload.Should().Equal(record.Payload);
        (read with { Payload = record.Payload }).Should().Be(record);
    }

    [Theory]
    [InlineData("""{"Body":1}""")]
    [InlineData("""{"Body":null}""")]
    [InlineData("""{"Body":"a","Body":"b"}""")]
    [InlineData("""["Body","a"]""")]
    public void StoredRecord_WithAPayloadThatIsNotAnObjectOfDistinctStrings_IsRefused(string payload)
    {
        var sid = "WD" + new string('a', 32);
        var json = $$"""{"Seq":1,"Sid":"{{sid}}","Lane":"l","Url":"http://127.0.0.1/","Method":"POST","EventType":"onMessageAdded","Payload":{{payload}},"DateCreated":"2026-12-07T22:00:00+00:00"}""";

        var read = () => StoredRecords.Read(EmulatorState.WebhookDeliveryKind, sid, null, json);

        read.Should().Throw<InvalidDataException>();
    }
}
