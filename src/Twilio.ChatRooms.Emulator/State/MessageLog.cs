using System.Collections;
using Text = Twilio.ChatRooms.Emulator.State.MessageTexts.Text;

namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// One conversation's messages in index order, kept without an object per message: each is a row of values in one
/// array, its texts in a few character blocks, and what repeats (authors, participant SIDs, short attributes) once. A
/// message is kept for the emulator's life, and an object per message would be copied by the garbage collector from
/// generation to generation: at thousands of messages a second those copies were the emulator's longest pauses
/// (docs/benchmarks.md). A <see cref="MessageRecord"/> is made each time one is read. Only touched inside the store's
/// lock; the records it hands out are immutable.
/// </summary>
internal sealed class MessageLog(string serviceSid, string conversationSid) : IReadOnlyList<MessageRecord>
{
    /// <summary>A log of nothing, for a conversation without messages: only read, never added to.</summary>
    public static readonly MessageLog Empty = new("", "");

    private readonly MessageTexts _texts = new();

    // The files of the few messages that hold any, by index: rows keep no references.
    private readonly Dictionary<int, IReadOnlyList<MessageMedia>> _media = [];
    private Row[] _rows = [];
    private int _count;
    private long _rowsRead;

    public int Count => _count;

    /// <summary>
    /// How many rows reads have looked at (made into a record, or read an index of) since the log was made: what a
    /// read holds the store's lock for, counted so tests can show a page's cost does not grow with the history.
    /// </summary>
    internal long RowsRead => _rowsRead;

    /// <summary>The message at <paramref name="position"/> (0 is the oldest), made now.</summary>
    public MessageRecord this[int position] =>
        (uint)position < (uint)_count ? Materialize(in _rows[position]) : throw new ArgumentOutOfRangeException(nameof(position));

    /// <summary>The index of the message at <paramref name="position"/>, without making its record.</summary>
    public int IndexAt(int position)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)position, (uint)_count, nameof(position));
        _rowsRead++;
        return _rows[position].Index;
    }

    /// <summary>The newest message, or null when there is none.</summary>
    public MessageRecord? Last => _count == 0 ? null : this[_count - 1];

    /// <summary>The blocks' characters that edits and removals left unused, until the next compaction.</summary>
    internal long WastedChars => _texts.WastedChars;

    public bool Contains(int index) => Position(index) >= 0;

    public bool TryGet(int index, out MessageRecord message)
    {
        var position = Position(index);
        message = position >= 0 ? this[position] : null!;
        return position >= 0;
    }

    /// <summary>The message with this SID, by a scan that makes nothing but the record found.</summary>
    public MessageRecord? FindBySid(string sid)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_texts.TextEquals(_rows[i].Sid, sid))
            {
                return this[i];
            }
        }

        return null;
    }

    /// <summary>How many messages have an index above <paramref name="index"/>.</summary>
    public int CountAfter(int index)
    {
        var position = Position(index);
        return _count - (position >= 0 ? position + 1 : ~position);
    }

    /// <summary>Adds a message whose index is not stored yet (the newest, unless loading out of order).</summary>
    public void Add(MessageRecord message)
    {
        var position = _count > 0 && message.Index <= _rows[_count - 1].Index ? ~Position(message.Index) : _count;
        if (position < 0)
        {
            throw new InvalidOperationException($"A message with the index {message.Index} is stored already");
        }

        if (_count == _rows.Length)
        {
            Array.Resize(ref _rows, Math.Max(16, _rows.Length * 2));
        }

        Array.Copy(_rows, position, _rows, position + 1, _count - position);
        _rows[position] = Store(message);
        _count++;
    }

    /// <summary>Replaces the message with the same index.</summary>
    public void Replace(MessageRecord message)
    {
        var position = Position(message.Index);
        if (position < 0)
        {
            throw new InvalidOperationException($"No message has the index {message.Index}");
        }

        Forget(in _rows[position]);
        _rows[position] = Store(message);
        CompactIfWasteful();
    }

    public void Remove(int index)
    {
        var position = Position(index);
        if (position < 0)
        {
            throw new InvalidOperationException($"No message has the index {index}");
        }

        Forget(in _rows[position]);
        _media.Remove(index);
        Array.Copy(_rows, position + 1, _rows, position, _count - position - 1);
        _count--;
        _rows[_count] = default;
        CompactIfWasteful();
    }

    public IEnumerator<MessageRecord> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The position of the message with <paramref name="index"/>, or the complement of where it would go.</summary>
    private int Position(int index)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var at = _rows[middle].Index;
            if (at == index)
            {
                return middle;
            }

            if (at < index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private MessageRecord Materialize(in Row row)
    {
        _rowsRead++;
        return new(_texts.Read(row.Sid)!, serviceSid, conversationSid, row.Index, _texts.Read(row.Author)!, _texts.Read(row.Body), _texts.Read(row.Attributes)!,
            _texts.Read(row.ParticipantSid), row.DateCreated, row.DateUpdated, _media.GetValueOrDefault(row.Index), _texts.Read(row.LastUpdatedBy),
            Delivery: row.DeliveryTotal < 0 ? null : new DeliverySummary(row.DeliveryTotal, row.Sent, row.Delivered, row.Read, row.Undelivered, row.Failed));
    }

    private Row Store(MessageRecord m)
    {
        if (m.Media is { } media)
        {
            _media[m.Index] = media;
        }
        else
        {
            _media.Remove(m.Index);
        }

        return Packed(m);
    }

    private Row Packed(MessageRecord m) => new()
    {
        Index = m.Index,
        Sid = _texts.Append(m.Sid),
        Author = _texts.ShareOrAppend(m.Author),
        Body = _texts.Append(m.Body),
        Attributes = _texts.ShareOrAppend(m.Attributes),
        ParticipantSid = _texts.ShareOrAppend(m.ParticipantSid),
        LastUpdatedBy = _texts.ShareOrAppend(m.LastUpdatedBy),
        DateCreated = m.DateCreated,
        DateUpdated = m.DateUpdated,
        DeliveryTotal = m.Delivery?.Total ?? -1,
        Sent = m.Delivery?.Sent ?? default,
        Delivered = m.Delivery?.Delivered ?? default,
        Read = m.Delivery?.Read ?? default,
        Undelivered = m.Delivery?.Undelivered ?? default,
        Failed = m.Delivery?.Failed ?? default,
    };


    /// <summary>Counts a row's own texts (not the shared ones) as unused.</summary>
    private void Forget(in Row row)
    {
        foreach (var text in (ReadOnlySpan<Text>)[row.Sid, row.Author, row.Body, row.Attributes, row.ParticipantSid])
        {
            _texts.Forget(text);
        }
    }

    /// <summary>Once edits and removals left the texts wasteful (<see cref="MessageTexts.IsWasteful"/>), writes the live ones afresh.</summary>
    private void CompactIfWasteful()
    {
        if (!_texts.IsWasteful)
        {
            return;
        }

        var records = new MessageRecord[_count];
        for (var i = 0; i < _count; i++)
        {
            records[i] = this[i];
        }

        _texts.Clear();
        for (var i = 0; i < _count; i++)
        {
            _rows[i] = Store(records[i]);
        }
    }

    /// <summary>One message: values and the places of its texts, no references, so the collector never walks it.</summary>
    private struct Row
    {
        public int Index;
        public Text Sid;
        public Text Author;
        public Text Body;
        public Text Attributes;
        public Text ParticipantSid;
        public Text LastUpdatedBy;
        public DateTimeOffset DateCreated;
        public DateTimeOffset DateUpdated;

        // The aggregated delivery receipt, as values; a total of -1 for none (a chat-only message).
        public int DeliveryTotal;
        public DeliveryAmount Sent;
        public DeliveryAmount Delivered;
        public DeliveryAmount Read;
        public DeliveryAmount Undelivered;
        public DeliveryAmount Failed;
    }
}
