using System.Globalization;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>One Sync item: its key (a map's) or index (a list's), its data and the id of the last event on it.</summary>
internal sealed record SyncItem(string Key, long? Index, JsonObject Data, long LastEventId);

/// <summary>A page of an item query, and whether there are items before and after it in the order asked.</summary>
internal sealed record SyncPage(IReadOnlyList<SyncItem> Items, bool HasPrevious, bool HasNext);

/// <summary>
/// Reads the Sync objects a connection may see, from the emulator's state: a user's own maps, anyone's user info,
/// and the document, messages and roster of a conversation the user is a participant of. Anything else is not found,
/// so a non-participant cannot even learn that a conversation exists.
/// </summary>
internal sealed class SyncReader(EmulatorStore store, SyncEventIds ids, TwilsockSessions sessions)
{
    /// <summary>Whether the object is there for this principal, read without its items.</summary>
    public bool IsVisible(TwilsockPrincipal principal, SyncObject o) => store.Read(s => o.Kind switch
    {
        SyncObjectKind.MyConversations => o.ServiceSid == principal.ServiceSid && o.Key == principal.Identity,
        SyncObjectKind.UserInfo => o.ServiceSid == principal.ServiceSid,
        _ => Conversation(s, principal, o.Key, creatorMayRead: o.Kind == SyncObjectKind.Channel) is not null,
    });

    /// <summary>Every item in key or index order, or null when the object is not there for this principal.</summary>
    public IReadOnlyList<SyncItem>? Items(TwilsockPrincipal principal, SyncObject o) => store.Read(s =>
        Ordered(s, principal, o) is { } items ? Enumerable.Range(0, items.Count).Select(items.At).ToList() : null);

    /// <summary>The items with these keys (those that still exist), in the order given; null when the object is not there.</summary>
    public IReadOnlyList<SyncItem>? ItemsWithKeys(TwilsockPrincipal principal, SyncObject o, IReadOnlyList<string> keys) => store.Read(s =>
        Ordered(s, principal, o) is { } items ? keys.Select(items.IndexOf).Where(i => i >= 0).Select(items.At).ToList() : null);

    /// <summary>
    /// Up to <paramref name="size"/> items from <paramref name="from"/> (inclusive; the first or last item without it)
    /// in key or index order, found by binary search: only the page's items are built. Null when the object is not there.
    /// </summary>
    public SyncPage? Page(TwilsockPrincipal principal, SyncObject o, string? from, bool descending, int size) => store.Read(s =>
    {
        if (Ordered(s, principal, o) is not { } items)
        {
            return null;
        }

        if (descending)
        {
            var last = from is null ? items.Count - 1 : items.Bound(from, after: true) - 1;
            var first = Math.Max(0, last - size + 1);
            var page = Enumerable.Range(first, Math.Max(0, last - first + 1)).Reverse().Select(items.At).ToList();
            return new SyncPage(page, HasPrevious: last < items.Count - 1, HasNext: first > 0);
        }

        var start = from is null ? 0 : items.Bound(from, after: false);
        var end = Math.Min(items.Count, start + size);
        return new SyncPage(Enumerable.Range(start, end - start).Select(items.At).ToList(), HasPrevious: start > 0, HasNext: end < items.Count);
    });

    /// <summary>The item with this key or index, if the object is there and holds it.</summary>
    public SyncPage? Single(TwilsockPrincipal principal, SyncObject o, string key) => store.Read(s =>
        Ordered(s, principal, o) is { } items
            ? new SyncPage(items.IndexOf(key) is var i and >= 0 ? [items.At(i)] : [], HasPrevious: false, HasNext: false)
            : null);

    /// <summary>The conversation document's data, or null when it is not there for this principal.</summary>
    public JsonObject? Document(TwilsockPrincipal principal, string conversationSid) => store.Read(s =>
        Conversation(s, principal, conversationSid, creatorMayRead: true) is { } conversation
            ? SyncData.Channel(conversation, s.Messages.Last(conversation.Sid))
            : null);

    /// <summary>The document's data as anyone sees it, for events (no access check: the subscriber was checked).</summary>
    public JsonObject? DocumentForEvent(string conversationSid) => store.Read(s =>
        s.Conversations.Find(conversationSid) is { } conversation
            ? SyncData.Channel(conversation, s.Messages.Last(conversation.Sid))
            : null);

    /// <summary>A user's info items for an event.</summary>
    public IReadOnlyList<(string Key, JsonObject Data)> UserInfoForEvent(string serviceSid, string identity) => store.Read(s =>
        SyncData.UserInfo(s.Users.Find(serviceSid, identity), identity, sessions.IsOnline(serviceSid, identity)).ToList());

    /// <summary>The object's records in key or index order, with how each becomes an item; null when it is not there.</summary>
    private OrderedItems? Ordered(EmulatorState s, TwilsockPrincipal principal, SyncObject o)
    {
        var id = SyncNames.Of(o);
        switch (o.Kind)
        {
            case SyncObjectKind.MyConversations:
                return o.ServiceSid != principal.ServiceSid || o.Key != principal.Identity
                    ? null
                    : OrderedItems.Of(
                        s.Participants.Of(principal.ServiceSid, principal.Identity).OrderBy(p => p.ConversationSid, StringComparer.Ordinal).ToList(),
                        p => new SyncItem(p.ConversationSid, null, SyncData.Membership(p), ids.OfItem(id, p.ConversationSid)),
                        (p, key) => string.CompareOrdinal(p.ConversationSid, key));
            case SyncObjectKind.UserInfo:
                return o.ServiceSid != principal.ServiceSid
                    ? null
                    : OrderedItems.Of(
                        SyncData.UserInfo(s.Users.Find(o.ServiceSid, o.Key), o.Key, sessions.IsOnline(o.ServiceSid, o.Key)).OrderBy(i => i.Key, StringComparer.Ordinal).ToList(),
                        i => new SyncItem(i.Key, null, i.Data, ids.OfItem(id, i.Key)),
                        (i, key) => string.CompareOrdinal(i.Key, key));
        }

        if (Conversation(s, principal, o.Key) is not { } conversation)
        {
            return null;
        }

        return o.Kind switch
        {
            // Already in index order in the store: only the records looked at are made.
            SyncObjectKind.Messages => OrderedItems.OfMessages(s.Messages.In(conversation.Sid), id, ids),
            SyncObjectKind.Roster => OrderedItems.Of(
                s.Participants.In(conversation.Sid).OrderBy(p => p.Sid, StringComparer.Ordinal).ToList(),
                p => new SyncItem(p.Sid, null, SyncData.Participant(p), ids.OfItem(id, p.Sid)),
                (p, key) => string.CompareOrdinal(p.Sid, key)),
            _ => null,
        };
    }

    /// <summary>
    /// A conversation of the principal's service that the principal is a participant of; with
    /// <paramref name="creatorMayRead"/>, also one the principal created over the SDK and has not joined yet (the SDK
    /// subscribes to a conversation's document as it creates it, before it joins).
    /// </summary>
    private static ConversationRecord? Conversation(EmulatorState s, TwilsockPrincipal principal, string conversationSid, bool creatorMayRead = false) =>
        s.Conversations.Find(conversationSid) is { } c && c.ServiceSid == principal.ServiceSid
            && (s.Participants.OfIn(c.Sid, principal.Identity) is not null || (creatorMayRead && c.CreatedBy == principal.Identity))
            ? c
            : null;

    /// <summary>Records in key order, read by position: a page needs a binary search and builds only its own items.</summary>
    private sealed class OrderedItems(int count, Func<int, SyncItem> at, Func<int, string, int> compare)
    {
        public int Count => count;

        public static OrderedItems Of<T>(IReadOnlyList<T> records, Func<T, SyncItem> item, Func<T, string, int> compare) =>
            new(records.Count, i => item(records[i]), (i, key) => compare(records[i], key));

        /// <summary>A messages list: compared by index alone, so a search makes no records; a key that is not a number sorts as text.</summary>
        public static OrderedItems OfMessages(MessageLog messages, string listSid, SyncEventIds ids) => new(
            messages.Count,
            i =>
            {
                var m = messages[i];
                return new SyncItem(m.Index.ToString(CultureInfo.InvariantCulture), m.Index, SyncData.Message(m), ids.OfItem(listSid, m.Index));
            },
            (i, key) => long.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
                ? ((long)messages.IndexAt(i)).CompareTo(index)
                : string.CompareOrdinal(messages.IndexAt(i).ToString(CultureInfo.InvariantCulture), key));

        public SyncItem At(int position) => at(position);

        /// <summary>The first position whose key is not below <paramref name="key"/> (with <paramref name="after"/>: above it).</summary>
        public int Bound(string key, bool after)
        {
            int low = 0, high = count;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                var c = compare(middle, key);
                if (c < 0 || (after && c == 0))
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        public int IndexOf(string key) => Bound(key, after: false) is var i && i < count && compare(i, key) == 0 ? i : -1;
    }
}
