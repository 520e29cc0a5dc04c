using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace ClientProtocol.Tests;

/// <summary>The framing as twilsock 1.0.2's <c>dist/parser.js</c> writes and reads it.</summary>
public sealed class TwilsockFrameTests
{
    // What the JavaScript client's Parser.createPacket writes for an update with a multi-byte payload.
    private static byte[] ClientPacket(string header, string payload) =>
        Encoding.UTF8.GetBytes($"TWILSOCK V3.0 {Encoding.UTF8.GetByteCount(header)}\r\n{header}\r\n{payload}");

    [Fact]
    public void TryParse_ClientPacket_ReadsHeaderAndUtf8Payload()
    {
        var payload = """{"text":"grüße ✓"}""";
        var header = $$"""{"method":"message","id":"TM1","payload_size":{{Encoding.UTF8.GetByteCount(payload)}}}""";

        TwilsockFrame.TryParse(ClientPacket(header, payload), out var frame, out var error).Should().BeTrue(error);

        frame!.Method.Should().Be("message");
        frame.Id.Should().Be("TM1");
        Encoding.UTF8.GetString(frame.Payload.Span).Should().Be(payload);
    }

    [Fact]
    public void TryParse_TrailingCrlfAfterPayload_IsIgnored()
    {
        var header = """{"method":"reply","id":"TM2","payload_size":2}""";

        TwilsockFrame.TryParse(ClientPacket(header, "{}\r\n"), out var frame, out _).Should().BeTrue();

        Encoding.UTF8.GetString(frame!.Payload.Span).Should().Be("{}");
    }

    [Theory]
    [InlineData("TWILSOCK V2.0 2\r\n{}\r\n", "does not start")]
    [InlineData("TWILSOCK V3.0 x\r\n{}\r\n", "not a number")]
    [InlineData("TWILSOCK V3.0 99\r\n{}\r\n", "claims 99 bytes")]
    [InlineData("TWILSOCK V3.0 2\r\n[]\r\n", "not a JSON object")]
    [InlineData("TWILSOCK V3.0 18\r\n{\"payload_size\":9}\r\n{}", "payload of 9 bytes")]
    public void TryParse_MalformedFrame_IsRefusedWithTheReason(string frame, string reason)
    {
        TwilsockFrame.TryParse(Encoding.UTF8.GetBytes(frame), out _, out var error).Should().BeFalse();

        error.Should().Contain(reason);
    }

    [Fact]
    public void Encode_CountsBytesNotCharacters_AndRoundTrips()
    {
        var frame = TwilsockFrame.Create(new JsonObject { ["method"] = "notification", ["id"] = "TS1", ["message_type"] = "ü" }, new JsonObject { ["body"] = "日本語" });

        var bytes = frame.Encode();
        var text = Encoding.UTF8.GetString(bytes);
        var headerSize = int.Parse(text["TWILSOCK V3.0 ".Length..text.IndexOf('\r', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

        TwilsockFrame.TryParse(bytes, out var back, out _).Should().BeTrue();
        back!.Header["payload_size"]!.GetValue<int>().Should().Be(frame.Payload.Length).And.BeGreaterThan("{\"body\":\"日本語\"}".Length);
        headerSize.Should().Be(Encoding.UTF8.GetByteCount(back.Header.ToJsonString()));
        JsonNode.Parse(back.Payload.Span)!["body"]!.GetValue<string>().Should().Be("日本語");
    }
}
