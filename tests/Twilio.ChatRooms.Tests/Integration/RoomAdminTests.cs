using Microsoft.Extensions.DependencyInjection;

namespace Twilio.ChatRooms.Tests.Integration;

public sealed class RoomAdminTests
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task CreateGetDelete_RoundTrip_Works()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        var name = Unique("lobby");

        var created = await lib.Admin.CreateRoomAsync(name, Ct);
        var fetched = await lib.Admin.GetRoomAsync(name, Ct);
        await lib.Admin.DeleteRoomAsync(name, Ct);
        var afterDelete = () => lib.Admin.GetRoomAsync(name, Ct);

        created.Name.Should().Be(name);
        created.Sid.Should().MatchRegex("^CH[0-9a-f]{32}$");
        fetched.Should().Be(created);
        var e = (await afterDelete.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Status.Should().Be(404);
        e.Message.Should().Be($"Chat room '{name}' not found.");
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("query?and#hash &amp=1")]
    [InlineData("ünïcødé 房间")]
    [InlineData("percent%20encoded")]
    public async Task CreateGetDelete_NamesNeedingEscaping_RoundTrip(string name)
    {
        await using var lib = await EmulatedLibrary.StartAsync();

        var created = await lib.Admin.CreateRoomAsync(name, Ct);
        var fetched = await lib.Admin.GetRoomAsync(name, Ct);
        var listed = await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);
        await lib.Admin.DeleteRoomAsync(name, Ct);

        created.Name.Should().Be(name);
        fetched.Should().Be(created);
        listed.Should().Contain(created);
    }

    [Fact]
    public async Task Delete_MissingRoom_ThrowsNotFound()
    {
        await using var lib = await EmulatedLibrary.StartAsync();

        var act = () => lib.Admin.DeleteRoomAsync("never-existed", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.NotFound);
        e.Message.Should().Be("Chat room 'never-existed' not found.");
    }

    [Fact]
    public async Task Create_ExistingName_ThrowsAlreadyExistsWith50353()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        await lib.Admin.CreateRoomAsync("dup", Ct);

        var act = () => lib.Admin.CreateRoomAsync("dup", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.AlreadyExists);
        e.Status.Should().Be(409);
        e.TwilioCode.Should().Be(50353);
        e.Message.Should().Be("Chat room 'dup' already exists.");
    }

    [Fact]
    public async Task Create_FiftyConcurrentOfOneName_ExactlyOneSucceeds()
    {
        await using var lib = await EmulatedLibrary.StartAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await lib.Admin.CreateRoomAsync("contested", Ct);
                return (ChatRoomsErrorKind?)null;
            }
            catch (ChatRoomsException e)
            {
                return e.Kind;
            }
        }));

        attempts.Count(a => a is null).Should().Be(1);
        attempts.Count(a => a == ChatRoomsErrorKind.AlreadyExists).Should().Be(49);
        (await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct)).Count(r => r.Name == "contested").Should().Be(1);
    }

    [Fact]
    public async Task ListRooms_MoreThanOnePage_ReturnsEveryRoomOnce()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        var names = Enumerable.Range(0, 105).Select(i => $"paged-{i:D3}").ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (name, ct) =>
            await lib.Admin.CreateRoomAsync(name, ct));

        var listed = await lib.Admin.ListRoomsAsync(Ct).ToListAsync(Ct);

        listed.Select(r => r.Name).Where(n => n.StartsWith("paged-", StringComparison.Ordinal)).Should().BeEquivalentTo(names);
        listed.Select(r => r.Sid).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task ListRooms_ServiceSidFromOptions_UsesThatService()
    {
        await using var lib = await EmulatedLibrary.StartAsync();
        var room = await lib.Admin.CreateRoomAsync("default-service-room", Ct);

        // The same emulator, with the service named explicitly instead of read from /v1/Configuration.
        var services = new ServiceCollection();
        services.AddTwilioChatRooms(o =>
        {
            o.AccountSid = lib.Server.Credentials.AccountSid;
            o.ApiKeySid = lib.Server.Credentials.ApiKeySid;
            o.ApiKeySecret = lib.Server.Credentials.ApiKeySecret;
            o.ServiceSid = lib.Server.DefaultServiceSid;
            o.BaseAddress = lib.Server.BaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        var admin = provider.GetRequiredService<IChatRoomAdmin>();

        (await admin.GetRoomAsync("default-service-room", Ct)).Should().Be(room);
    }

    [Fact]
    public async Task AnyCall_WrongAuthToken_ThrowsUnauthorized()
    {
        await using var lib = await EmulatedLibrary.StartAsync(o => o.AuthToken = "wrong-token");

        var act = () => lib.Admin.CreateRoomAsync("x", Ct);

        var e = (await act.Should().ThrowAsync<ChatRoomsException>()).Which;
        e.Kind.Should().Be(ChatRoomsErrorKind.Unauthorized);
        e.Status.Should().Be(401);
        e.Message.Should().NotContain("wrong-token");
    }

    [Fact]
    public async Task AnyCall_ApiKeyAuthWithoutAuthToken_Works()
    {
        await using var lib = await EmulatedLibrary.StartAsync(o => o.AuthToken = null);

        var room = await lib.Admin.CreateRoomAsync("api-key-room", Ct);

        room.Name.Should().Be("api-key-room");
    }
}
