using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Twilio.ChatRooms;
using Twilio.ChatRooms.Emulator;
using static WebApiHost.Tests.EndToEnd.ChatPage;

namespace WebApiHost.Tests.EndToEnd;

/// <summary>Issue 6 in a real browser on the emulator: members, live rooms, join and leave, typing, private messages,
/// unread counts, editing and deleting, reactions (issue 26), SMS participants. The users sign in by name (username-only mode): these tests are
/// about the chat, <see cref="SignInInBrowserTests"/> about accounts.</summary>
public sealed class BeyondTheTutorialTests(UsernameOnlyBrowserFixture fixture) : IClassFixture<UsernameOnlyBrowserFixture>
{
    private IChatRoomAdmin Admin => fixture.Host.Services.GetRequiredService<IChatRoomAdmin>();

    private Task<IPage> LogInAsync(string username) => ChatPage.LogInAsync(fixture.Browser, fixture.Host, username);

    /// <summary>A room of this test's own, made before the users sign in so that login puts them in it.</summary>
    private async Task<string> NewRoomAsync(string prefix)
    {
        var name = prefix + "-" + Suffix();
        await Admin.CreateRoomAsync(name, Ct);
        return name;
    }

    [Fact]
    public async Task Members_ShowWhoIsInTheRoomAndOnline_UpdatedAsPeopleJoinAndLeave()
    {
        var room = await NewRoomAsync("members");
        var alice = "alice-" + Suffix();
        var bob = "bob-" + Suffix();
        var alicePage = await LogInAsync(alice);
        var bobPage = await LogInAsync(bob);
        await Room(alicePage, room).ClickAsync();
        await Room(bobPage, room).ClickAsync();

        await Assertions.Expect(Member(alicePage, bob)).ToContainTextAsync("online");
        await Assertions.Expect(Member(alicePage, alice)).ToBeVisibleAsync();

        await bobPage.GetByRole(AriaRole.Button, new() { Name = "Leave room" }).ClickAsync();

        await Assertions.Expect(Member(alicePage, bob)).ToHaveCountAsync(0);
        await Assertions.Expect(Room(bobPage, room)).ToHaveCountAsync(0);
        await Assertions.Expect(bobPage.GetByRole(AriaRole.Button, new() { Name = "Join " + room })).ToBeVisibleAsync();

        await bobPage.GetByRole(AriaRole.Button, new() { Name = "Join " + room }).ClickAsync();

        await Assertions.Expect(Room(bobPage, room)).ToHaveCountAsync(1);
        await Assertions.Expect(Member(alicePage, bob)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RoomList_RoomCreatedAndDeletedByTheAdmin_AppearsAndIsLeftGracefully_WithoutReload()
    {
        var page = await LogInAsync("erin-" + Suffix());
        var room = "admin-made-" + Suffix();

        await Admin.CreateRoomAsync(room, Ct);

        var join = page.GetByRole(AriaRole.Button, new() { Name = "Join " + room });
        await Assertions.Expect(join).ToBeVisibleAsync();
        await join.ClickAsync();
        await Room(page, room).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = room })).ToBeVisibleAsync();

        await Admin.DeleteRoomAsync(room, Ct);

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"The room {room} was deleted." })).ToBeVisibleAsync();
        await Assertions.Expect(Room(page, room)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Join " + room })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Typing_ShowsWhoTypes_AndEndsByItself()
    {
        var room = await NewRoomAsync("typing");
        var alice = "alice-" + Suffix();
        var carol = "carol-" + Suffix();
        var alicePage = await LogInAsync(alice);
        var carolPage = await LogInAsync(carol);
        var bobPage = await LogInAsync("bob-" + Suffix());
        foreach (var page in new[] { alicePage, carolPage, bobPage })
        {
            await Room(page, room).ClickAsync();
        }

        // Typing ends 5 s after the last keystroke: bob's view is checked while they still type, so a busy machine sees it.
        var aliceTypes = alicePage.GetByLabel("Message", new() { Exact = true }).PressSequentiallyAsync("hello there", new() { Delay = 300 });

        await Assertions.Expect(Typing(bobPage)).ToHaveTextAsync($"{alice} is typing…");
        await aliceTypes;

        var bothType = Task.WhenAll(
            alicePage.GetByLabel("Message", new() { Exact = true }).PressSequentiallyAsync(" again", new() { Delay = 300 }),
            carolPage.GetByLabel("Message", new() { Exact = true }).PressSequentiallyAsync("hi there", new() { Delay = 300 }));

        await Assertions.Expect(Typing(bobPage)).ToHaveTextAsync(new Regex($"^({alice} and {carol}|{carol} and {alice}) are typing…$"));
        await bothType;
        // Nobody types any more: the indicator goes away by itself (the emulator ends typing after 5 s).
        await Assertions.Expect(Typing(bobPage)).ToHaveCountAsync(0, new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task PrivateMessage_StartedFromMembers_AppearsForBothAndNotForOthers()
    {
        var room = await NewRoomAsync("dm");
        var alice = "alice-" + Suffix();
        var bob = "bob-" + Suffix();
        var alicePage = await LogInAsync(alice);
        var bobPage = await LogInAsync(bob);
        var carolPage = await LogInAsync("carol-" + Suffix());
        await Room(alicePage, room).ClickAsync();
        var text = "psst " + Suffix();

        await Member(alicePage, bob).GetByRole(AriaRole.Button, new() { Name = "Message " + bob }).ClickAsync();

        var direct = Room(alicePage, bob);
        await Assertions.Expect(direct).ToBeVisibleAsync();
        await direct.ClickAsync();
        // Alice started it: Bob was added as its other participant, and she sees him among its members.
        await Assertions.Expect(Member(alicePage, bob)).ToBeVisibleAsync();
        await SendAsync(alicePage, text);
        await Assertions.Expect(Room(bobPage, alice)).ToBeVisibleAsync();
        await Room(bobPage, alice).ClickAsync();
        await Assertions.Expect(bobPage.GetByRole(AriaRole.Log).GetByText(text)).ToBeVisibleAsync();
        await Assertions.Expect(Nav(carolPage).GetByRole(AriaRole.Button, new() { Name = alice })).ToHaveCountAsync(0);
        await Assertions.Expect(carolPage.GetByText(text)).ToHaveCountAsync(0);
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Button, new() { Name = "Leave room" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Unread_CountsWhatArrivedElsewhere_AndSurvivesReloadAndSecondDevice()
    {
        var room = await NewRoomAsync("unread");
        var alice = "alice-" + Suffix();
        var bob = "bob-" + Suffix();
        var alicePage = await LogInAsync(alice);
        var bobPage = await LogInAsync(bob);
        await Room(alicePage, room).ClickAsync();
        var first = "zero " + Suffix();
        await SendAsync(alicePage, first);
        await Room(bobPage, room).ClickAsync();
        await Assertions.Expect(Log(bobPage, room).GetByText(first)).ToBeVisibleAsync();   // read: the horizon is set
        await Room(bobPage, "random").ClickAsync();                                        // bob reads elsewhere now
        // Once the page has moved: a message that arrives while bob is still in the room is read, rightly, so it must
        // not be sent before (on a busy machine the switch can take longer than alice's send).
        await Assertions.Expect(Room(bobPage, "random")).ToHaveAttributeAsync("aria-current", "true");

        await SendAsync(alicePage, "one " + Suffix());
        await SendAsync(alicePage, "two " + Suffix());

        var unread = Nav(bobPage).GetByRole(AriaRole.Button, new() { Name = room + " 2 unread" });
        await Assertions.Expect(unread).ToBeVisibleAsync();

        // The read horizon reaches the server in a request of its own, after the page showed the message; the reload
        // tests what the server kept, so it waits until the server has it.
        await WaitForReadHorizonAsync(room, bob, 0);
        await bobPage.ReloadAsync();
        if (await bobPage.GetByLabel("Password").IsVisibleAsync())
        {
            await SignInOnPageAsync(bobPage, bob);
        }

        await Assertions.Expect(Nav(bobPage).GetByRole(AriaRole.Button, new() { Name = room + " 2 unread" })).ToBeVisibleAsync();
        var secondDevice = await LogInAsync(bob);
        await Assertions.Expect(Nav(secondDevice).GetByRole(AriaRole.Button, new() { Name = room + " 2 unread" })).ToBeVisibleAsync();

        // Read on one device: the count goes there at once, and on the other as the read horizon reaches it.
        await Room(bobPage, room).ClickAsync();
        await Assertions.Expect(Nav(bobPage).GetByRole(AriaRole.Button, new() { Name = room, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(Nav(secondDevice).GetByRole(AriaRole.Button, new() { Name = room, Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReadReceipts_BobReadsAlicesMessage_AndAliceSeesSeenByBob()
    {
        var room = await NewRoomAsync("seen");
        var alice = "alice-" + Suffix();
        var bob = "bob-" + Suffix();
        var alicePage = await LogInAsync(alice);
        var bobPage = await LogInAsync(bob);
        await Room(alicePage, room).ClickAsync();
        var text = "did you read this " + Suffix();
        await SendAsync(alicePage, text);
        var onAlices = Log(alicePage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = text });
        await Assertions.Expect(onAlices).ToBeVisibleAsync();
        // Bob has not opened the room: his read horizon is not there yet.
        await Assertions.Expect(Nav(bobPage).GetByRole(AriaRole.Button, new() { Name = room + " 1 unread" })).ToBeVisibleAsync();
        await Assertions.Expect(onAlices.GetByText("Seen by")).ToHaveCountAsync(0);

        // Bob reads it: his read horizon moves (the SDK's advanceLastReadMessageIndex), and Alice's SDK hears of it as
        // participantUpdated.
        await Room(bobPage, room).ClickAsync();
        await Assertions.Expect(Log(bobPage, room).GetByText(text)).ToBeVisibleAsync();

        await Assertions.Expect(onAlices.GetByText("Seen by " + bob)).ToBeVisibleAsync();
        // Under Bob's own view of Alice's message there is no "Seen by": receipts are shown to the author.
        await Assertions.Expect(Log(bobPage, room).GetByText("Seen by")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Reactions_OnSomeoneElsesMessageAndOnOnesOwn_CountedLiveForEveryone_AndTakenBack()
    {
        var room = await NewRoomAsync("react");
        var alicePage = await LogInAsync("alice-" + Suffix());
        var bobPage = await LogInAsync("bob-" + Suffix());
        await Room(alicePage, room).ClickAsync();
        await Room(bobPage, room).ClickAsync();
        var text = "react to me " + Suffix();
        await SendAsync(bobPage, text);
        var onAlices = Log(alicePage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = text });
        var onBobs = Log(bobPage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = text });
        await Assertions.Expect(onAlices).ToBeVisibleAsync();

        // Alice reacts to Bob's message: one click (an attribute edit of someone else's message, editAnyMessageAttributes).
        await onAlices.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 0" }).ClickAsync();

        await Assertions.Expect(onBobs.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 1" })).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(onAlices.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 1" })).ToHaveAttributeAsync("aria-pressed", "true");

        // Bob adds his own, to his own message: two reactions side by side, Alice's kept.
        await onBobs.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 1" }).ClickAsync();
        await onBobs.GetByRole(AriaRole.Button, new() { Name = "heart: 0" }).ClickAsync();

        await Assertions.Expect(onAlices.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 2" })).ToBeVisibleAsync();
        await Assertions.Expect(onAlices.GetByRole(AriaRole.Button, new() { Name = "heart: 1" })).ToHaveAttributeAsync("aria-pressed", "false");

        // Alice takes hers back.
        await onAlices.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 2" }).ClickAsync();

        await Assertions.Expect(onBobs.GetByRole(AriaRole.Button, new() { Name = "thumbs up: 1" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(onBobs.GetByRole(AriaRole.Button, new() { Name = "heart: 1" })).ToBeVisibleAsync();
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Assertions.Expect(bobPage.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task BlockedWord_IsRefusedBeforeItIsStored_TheWriterIsToldAndKeepsTheText_AndNobodySeesIt()
    {
        var room = await NewRoomAsync("moderated");
        var alicePage = await LogInAsync("alice-" + Suffix());
        var bobPage = await LogInAsync("bob-" + Suffix());
        await Room(alicePage, room).ClickAsync();
        await Room(bobPage, room).ClickAsync();
        var refused = $"please {BrowserFixture.BlockedWord.ToUpperInvariant()} it " + Suffix();

        await SendAsync(alicePage, refused);

        // The host's pre-event webhook refused it: the writer is told, the text stays to be changed.
        await Assertions.Expect(alicePage.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not sent: this chat's moderation refused it");
        await Assertions.Expect(alicePage.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync(refused);
        var allowed = "allowed " + Suffix();
        await SendAsync(alicePage, allowed);
        await Assertions.Expect(Log(bobPage, room).GetByText(allowed)).ToBeVisibleAsync();
        await Assertions.Expect(Log(bobPage, room).GetByText(refused)).ToHaveCountAsync(0);
        await Assertions.Expect(Log(alicePage, room).GetByText(refused)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EditAndDelete_OwnMessages_LiveForEveryone_AndNotOthersMessages()
    {
        var room = await NewRoomAsync("edit");
        var alicePage = await LogInAsync("alice-" + Suffix());
        var bobPage = await LogInAsync("bob-" + Suffix());
        await Room(alicePage, room).ClickAsync();
        await Room(bobPage, room).ClickAsync();
        var original = "tpyo " + Suffix();
        var corrected = "typo fixed " + Suffix();
        await SendAsync(alicePage, original);
        var mine = Log(alicePage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = original });
        var theirs = Log(bobPage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = original });
        await Assertions.Expect(theirs).ToBeVisibleAsync();
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Edit message" })).ToHaveCountAsync(0);
        await Assertions.Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Delete message" })).ToHaveCountAsync(0);

        await mine.GetByRole(AriaRole.Button, new() { Name = "Edit message" }).ClickAsync();
        await alicePage.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync(corrected);
        await alicePage.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var edited = Log(bobPage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = corrected });
        await Assertions.Expect(edited).ToContainTextAsync("(edited)");
        await Assertions.Expect(Log(bobPage, room).GetByText(original)).ToHaveCountAsync(0);

        var mineNow = Log(alicePage, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = corrected });
        await mineNow.GetByRole(AriaRole.Button, new() { Name = "Delete message" }).ClickAsync();
        await mineNow.GetByRole(AriaRole.Button, new() { Name = "Confirm delete" }).ClickAsync();

        await Assertions.Expect(Log(bobPage, room).GetByText(corrected)).ToHaveCountAsync(0);
        await Assertions.Expect(Log(alicePage, room).GetByText(corrected)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Sms_ParticipantAddedByAdmin_TextsInAndReceivesWhatTheRoomSends()
    {
        var room = await NewRoomAsync("sms");
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        const string twilioNumber = "+15550001111";
        await Admin.AddSmsParticipantAsync(room, phone, twilioNumber, Ct);
        var page = await LogInAsync("alice-" + Suffix());
        await Room(page, room).ClickAsync();
        await Assertions.Expect(Member(page, phone)).ToBeVisibleAsync();
        using var emulator = EmulatorClient();
        var inbound = "texting from my phone " + Suffix();

        using var posted = await emulator.PostAsync("/emulator/sms/inbound",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["From"] = phone, ["To"] = twilioNumber, ["Body"] = inbound }), Ct);

        posted.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var arrived = Log(page, room).GetByRole(AriaRole.Listitem).Filter(new() { HasText = inbound });
        await Assertions.Expect(arrived).ToContainTextAsync(phone);

        var reply = "got it " + Suffix();
        await SendAsync(page, reply);
        await Assertions.Expect(Log(page, room).GetByText(reply)).ToBeVisibleAsync();

        var outbox = await emulator.GetFromJsonAsync<JsonElement>("/emulator/sms/outbox?to=" + Uri.EscapeDataString(phone), Ct);
        var sent = outbox.GetProperty("messages").EnumerateArray().ToList();
        sent.Select(m => m.GetProperty("body").GetString()).Should().Equal(reply);
        sent[0].GetProperty("from").GetString().Should().Be(twilioNumber);
    }

    /// <summary>Waits until the server holds <paramref name="index"/> as the participant's read horizon (a minute at most).</summary>
    private async Task WaitForReadHorizonAsync(string room, string identity, int index)
    {
        using var emulator = EmulatorClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var path = $"/emulator/v1/Conversations/{Uri.EscapeDataString(room)}/Participants/{Uri.EscapeDataString(identity)}";
        while ((await emulator.GetFromJsonAsync<JsonElement>(path, timeout.Token)).GetProperty("last_read_message_index") is not { ValueKind: JsonValueKind.Number } read
            || read.GetInt32() != index)
        {
            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>The emulator's own HTTP API with the credentials it generated, as a tester with curl would call it.</summary>
    private HttpClient EmulatorClient()
    {
        var client = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = EmulatorClients.Basic(fixture.Host.EmulatorCredentials, useAccountToken: true);
        return client;
    }
}
