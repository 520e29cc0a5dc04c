using AdminConsole;
using FluentAssertions;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;

namespace AdminConsole.Tests;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(ChatRoomsErrorKind.NotFound, ExitCodes.NotFound)]
    [InlineData(ChatRoomsErrorKind.AlreadyExists, ExitCodes.AlreadyExists)]
    [InlineData(ChatRoomsErrorKind.Unauthorized, ExitCodes.Configuration)]
    [InlineData(ChatRoomsErrorKind.Configuration, ExitCodes.Configuration)]
    [InlineData(ChatRoomsErrorKind.Unavailable, ExitCodes.Unavailable)]
    [InlineData(ChatRoomsErrorKind.RateLimited, ExitCodes.Failure)]
    [InlineData(ChatRoomsErrorKind.Other, ExitCodes.Failure)]
    public void FromException_ChatRoomsException_MapsKind(ChatRoomsErrorKind kind, int expected)
    {
        var (code, message) = ExitCodes.FromException(new ChatRoomsException(kind, "It failed.\nSecond line.", 500, 12345));

        code.Should().Be(expected);
        message.Should().NotContain("\n").And.Contain("It failed.");
    }

    [Fact]
    public void FromException_NotFoundWithRoomName_SaysChatRoomNotFound()
    {
        var (code, message) = ExitCodes.FromException(new ChatRoomsException(ChatRoomsErrorKind.NotFound, "404"), "general");

        code.Should().Be(ExitCodes.NotFound);
        message.Should().Be("Chat room not found: general");
    }

    [Fact]
    public void FromException_OptionsValidationException_IsConfigurationNamingTheFailures()
    {
        var e = new OptionsValidationException("", typeof(TwilioChatRoomsOptions), ["AccountSid must be 'AC' followed by 32 hex digits."]);

        var (code, message) = ExitCodes.FromException(e);

        code.Should().Be(ExitCodes.Configuration);
        message.Should().Contain("AccountSid");
    }

    [Fact]
    public void FromException_ArgumentException_IsUsage()
    {
        ExitCodes.FromException(new ArgumentException("bad name", "name")).ExitCode.Should().Be(ExitCodes.Usage);
    }

    [Fact]
    public void FromException_Cancelled_Is130()
    {
        ExitCodes.FromException(new OperationCanceledException()).ExitCode.Should().Be(ExitCodes.Cancelled);
    }
}
