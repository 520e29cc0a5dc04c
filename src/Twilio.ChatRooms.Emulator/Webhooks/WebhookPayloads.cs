using System.Globalization;
using Twilio.ChatRooms.Emulator.State;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// One post-event webhook a change causes: Twilio's event name, where it belongs (its service, its conversation when it
/// has one) and the resource's own fields, named as Twilio's Conversations webhooks name them.
/// </summary>
internal sealed record PostEvent(string EventType, string ServiceSid, string? ConversationSid, string Lane, Dictionary<string, string> Fields);

/// <summary>Twilio's post-event webhook payloads, per event (the emulator's README lists them).</summary>
internal static class WebhookPayloads
{
    /// <summary>The names of the post-event webhooks the emulator sends.</summary>
    public static readonly IReadOnlyList<string> PostEvents =
    [
        "onConversationAdded", "onConversationUpdated", "onConversationRemoved", "onConversationStateUpdated",
        "onMessageAdded", "onMessageUpdated", "onMessageRemoved",
        "onParticipantAdded", "onParticipantUpdated", "onParticipantRemoved",
        "onUserAdded", "onUserUpdated",
    ];

    /// <summary>Twilio's webhook dates: ISO 8601, UTC, with milliseconds.</summary>
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The post-event webhook of <paramref name="change"/>, or null when Twilio has none for it.</summary>
    public static PostEvent? Of(EmulatorEvent change, DateTimeOffset now) => change switch
    {
        ConversationAdded(var c) => Conversation("onConversationAdded", c, f => { }),
        ConversationUpdated(var c) => Conversation("onConversationUpdated", c, f => f.Add("DateUpdated", Date(c.DateUpdated))),
        ConversationRemoved(var c, _) => Conversation("onConversationRemoved", c, f =>
        {
            f.Add("DateUpdated", Date(c.DateUpdated));
            f.Add("DateRemoved", Date(now));
        }),
        ConversationStateUpdated(var c, var from) => new PostEvent("onConversationStateUpdated", c.ServiceSid, c.Sid, c.Sid, Fields(
            ("ChatServiceSid", c.ServiceSid), ("ConversationSid", c.Sid), ("StateFrom", from), ("StateTo", c.State),
            ("StateUpdated", Date(c.DateUpdated)), ("Reason", "API"))),
        MessageAdded(var m) => Message("onMessageAdded", m, f => { }),
        MessageUpdated(var m) => Message("onMessageUpdated", m, f => f.Add("DateUpdated", Date(m.DateUpdated))),
        MessageRemoved(var m) => Message("onMessageRemoved", m, f =>
        {
            f.Add("DateUpdated", Date(m.DateUpdated));
            f.Add("DateRemoved", Date(now));
        }),
        ParticipantAdded(var p, _) => Participant("onParticipantAdded", p, f => { }),
        ParticipantUpdated(var p) => Participant("onParticipantUpdated", p, f =>
        {
            f.Add("DateUpdated", Date(p.DateUpdated));
            Put(f, "LastReadMessageIndex", p.LastReadMessageIndex?.ToString(CultureInfo.InvariantCulture));
            Put(f, "LastReadTimestamp", p.LastReadTimestamp is { } read ? Date(read) : null);
        }),
        ParticipantRemoved(var p, _) => Participant("onParticipantRemoved", p, f =>
        {
            f.Add("DateUpdated", Date(p.DateUpdated));
            f.Add("DateRemoved", Date(now));
        }),
        UserAdded(var u) => User("onUserAdded", u, f => { }),
        UserUpdated(var u) => User("onUserUpdated", u, f => f.Add("DateUpdated", Date(u.DateUpdated))),
        _ => null,
    };

    private static PostEvent Conversation(string eventType, ConversationRecord c, Action<Dictionary<string, string>> more)
    {
        var fields = Fields(("ChatServiceSid", c.ServiceSid), ("ConversationSid", c.Sid), ("FriendlyName", c.FriendlyName),
            ("UniqueName", c.UniqueName), ("Attributes", c.Attributes), ("State", c.State), ("DateCreated", Date(c.DateCreated)));
        more(fields);
        return new PostEvent(eventType, c.ServiceSid, c.Sid, c.Sid, fields);
    }

    private static PostEvent Message(string eventType, MessageRecord m, Action<Dictionary<string, string>> more)
    {
        var fields = Fields(("ChatServiceSid", m.ServiceSid), ("ConversationSid", m.ConversationSid), ("MessageSid", m.Sid),
            ("Index", m.Index.ToString(CultureInfo.InvariantCulture)), ("Author", m.Author), ("Body", m.Body), ("Attributes", m.Attributes),
            ("ParticipantSid", m.ParticipantSid), ("DateCreated", Date(m.DateCreated)));
        more(fields);
        return new PostEvent(eventType, m.ServiceSid, m.ConversationSid, m.ConversationSid, fields);
    }

    private static PostEvent Participant(string eventType, ParticipantRecord p, Action<Dictionary<string, string>> more)
    {
        var fields = Fields(("ChatServiceSid", p.ServiceSid), ("ConversationSid", p.ConversationSid), ("ParticipantSid", p.Sid),
            ("Identity", p.Identity), ("RoleSid", p.RoleSid), ("Attributes", p.Attributes), ("DateCreated", Date(p.DateCreated)),
            ("MessagingBinding.Address", p.BindingAddress), ("MessagingBinding.ProxyAddress", p.ProxyAddress));
        more(fields);
        return new PostEvent(eventType, p.ServiceSid, p.ConversationSid, p.ConversationSid, fields);
    }

    private static PostEvent User(string eventType, UserRecord u, Action<Dictionary<string, string>> more)
    {
        var fields = Fields(("ChatServiceSid", u.ServiceSid), ("UserSid", u.Sid), ("Identity", u.Identity), ("FriendlyName", u.FriendlyName),
            ("Attributes", u.Attributes), ("RoleSid", u.RoleSid), ("DateCreated", Date(u.DateCreated)));
        more(fields);
        return new PostEvent(eventType, u.ServiceSid, null, u.Sid, fields);
    }

    /// <summary>The fields that have a value: Twilio leaves out what a resource does not have.</summary>
    private static Dictionary<string, string> Fields(params (string Name, string? Value)[] fields)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            Put(result, name, value);
        }

        return result;
    }

    private static void Put(Dictionary<string, string> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }
}
