using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests;

public sealed class ArgumentValidationTests
{
    public static TheoryData<string?, string> BadValues => new()
    {
        { null, "null" },
        { "", "empty" },
        { "   ", "whitespace" },
        { "tab\there", "control character" },
        { "line\nbreak", "control character" },
        { new string('x', 257), "at most 256" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task RoomMethods_BadName_ThrowArgumentExceptionBeforeAnyRequest(string? name, string expected)
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);
        var admin = provider.GetRequiredService<IChatRoomAdmin>();

        foreach (var act in new Func<Task>[]
        {
            () => admin.CreateRoomAsync(name!),
            () => admin.GetRoomAsync(name!),
            () => admin.DeleteRoomAsync(name!),
            () => admin.ListParticipantsAsync(name!).GetAsyncEnumerator().MoveNextAsync().AsTask(),
            () => admin.AddSmsParticipantAsync(name!, "+15551230001", "+15550000001"),
            () => admin.RemoveSmsParticipantAsync(name!, "+15551230001"),
            () => provider.GetRequiredService<IParticipantProvisioner>().JoinRoomAsync("alice", name!),
            () => provider.GetRequiredService<IParticipantProvisioner>().LeaveRoomAsync("alice", name!),
        })
        {
            (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("room name").And.Contain(expected);
        }

        stub.Count.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task IdentityMethods_BadIdentity_ThrowArgumentExceptionBeforeAnyRequest(string? identity, string expected)
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);

        var provisioner = provider.GetRequiredService<IParticipantProvisioner>();

        foreach (var act in new Func<Task>[]
        {
            () => provisioner.ProvisionAsync(identity!),
            () => provisioner.EnsureUserAsync(identity!),
            () => provisioner.JoinRoomAsync(identity!, "general"),
            () => provisioner.LeaveRoomAsync(identity!, "general"),
            () => provider.GetRequiredService<ITokenIssuer>().IssueAsync(identity!),
            () => provider.GetRequiredService<IPrivateConversations>().StartAsync(identity!, "bob"),
            () => provider.GetRequiredService<IPrivateConversations>().StartAsync("bob", identity!),
        })
        {
            (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("identity").And.Contain(expected);
        }

        stub.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("al\u200bice", "invisible")]
    [InlineData("\u0430lice", "mixes scripts")]
    [InlineData("\u202ealice", "bidirectional")]
    [InlineData(".", "dot segment")]
    [InlineData("..", "dot segment")]
    public async Task IdentityMethods_IdentityThatIsNotCanonical_ThrowArgumentExceptionNamingTheParameterBeforeAnyRequest(string identity, string expected)
    {
        identity = System.Text.RegularExpressions.Regex.Unescape(identity);
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);
        var provisioner = provider.GetRequiredService<IParticipantProvisioner>();
        var privates = provider.GetRequiredService<IPrivateConversations>();

        foreach (var (act, parameter) in new (Func<Task>, string)[]
        {
            (() => provisioner.ProvisionAsync(identity), "identity"),
            (() => provisioner.EnsureUserAsync(identity), "identity"),
            (() => provisioner.JoinRoomAsync(identity, "general"), "identity"),
            (() => provisioner.LeaveRoomAsync(identity, "general"), "identity"),
            (() => provider.GetRequiredService<ITokenIssuer>().IssueAsync(identity), "identity"),
            (() => privates.StartAsync(identity, "bob"), "identity"),
            (() => privates.StartAsync("bob", identity), "otherIdentity"),
        })
        {
            var e = (await act.Should().ThrowAsync<ArgumentException>()).Which;
            e.ParamName.Should().Be(parameter);
            e.Message.Should().Contain(expected);
        }

        stub.Count.Should().Be(0);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task RoomMethods_DotSegmentName_ThrowArgumentExceptionBeforeAnyRequest(string name)
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);
        var admin = provider.GetRequiredService<IChatRoomAdmin>();

        foreach (var act in new Func<Task>[]
        {
            () => admin.CreateRoomAsync(name),
            () => admin.GetRoomAsync(name),
            () => admin.DeleteRoomAsync(name),
            () => admin.ListParticipantsAsync(name).GetAsyncEnumerator().MoveNextAsync().AsTask(),
            () => provider.GetRequiredService<IParticipantProvisioner>().JoinRoomAsync("alice", name),
            () => provider.GetRequiredService<IParticipantProvisioner>().LeaveRoomAsync("alice", name),
        })
        {
            (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("room name").And.Contain("dot segment");
        }

        stub.Count.Should().Be(0);
    }

    [Fact]
    public async Task StartPrivate_SameUserSpelledDifferently_ThrowsArgumentExceptionNamingOtherIdentity()
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);

        var act = () => provider.GetRequiredService<IPrivateConversations>().StartAsync("Alice", "\uff41lice");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("otherIdentity");
        stub.Count.Should().Be(0);
    }

    [Fact]
    public async Task CreateRoom_256Characters_IsAccepted()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(StubHandler.Json(
            System.Net.HttpStatusCode.Created,
            $$"""{"sid":"CH0123456789abcdef0123456789abcdef","unique_name":"{{new string('x', 256)}}"}""")));
        await using var provider = Fake.Services(stub);

        var room = await provider.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync(new string('x', 256), TestContext.Current.CancellationToken);

        room.Name.Should().HaveLength(256);
    }

    [Theory]
    [InlineData("private:")]
    [InlineData("private:0123abcd")]
    public async Task CreateRoom_ReservedPrivatePrefix_ThrowsArgumentExceptionBeforeAnyRequest(string name)
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);

        var act = () => provider.GetRequiredService<IChatRoomAdmin>().CreateRoomAsync(name);

        var e = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        e.ParamName.Should().Be("name");
        e.Message.Should().Contain("'private:'").And.Contain("reserved");
        stub.Count.Should().Be(0);
    }

    [Fact]
    public async Task StartPrivate_SameIdentityTwice_ThrowsArgumentExceptionNamingOtherIdentity()
    {
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);

        var act = () => provider.GetRequiredService<IPrivateConversations>().StartAsync("alice", "alice");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("otherIdentity");
        stub.Count.Should().Be(0);
    }

    [Theory]
    [InlineData("15551234567")]
    [InlineData("+1")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("+1234567890123456")]
    [InlineData("+1 555 123 4567")]
    [InlineData("+1-555-123-4567")]
    [InlineData("++15551234567")]
    [InlineData("+1555123456x")]
    [InlineData("+\u0661\u0662\u0663")]
    [InlineData("whatsapp:+15551234567")]
    public async Task SmsMethods_NumberNotE164_ThrowArgumentExceptionNamingTheParameterBeforeAnyRequest(string number)
    {
        number = System.Text.RegularExpressions.Regex.Unescape(number);
        var stub = new StubHandler();
        await using var provider = Fake.Services(stub);
        var admin = provider.GetRequiredService<IChatRoomAdmin>();

        foreach (var (act, parameter) in new (Func<Task>, string)[]
        {
            (() => admin.AddSmsParticipantAsync("general", number, "+15550000001"), "phoneNumber"),
            (() => admin.AddSmsParticipantAsync("general", "+15551230001", number), "proxyNumber"),
            (() => admin.RemoveSmsParticipantAsync("general", number), "phoneNumber"),
        })
        {
            var e = (await act.Should().ThrowAsync<ArgumentException>()).Which;
            e.ParamName.Should().Be(parameter);
            e.Message.Should().Contain("E.164");
        }

        stub.Count.Should().Be(0);
    }
}
