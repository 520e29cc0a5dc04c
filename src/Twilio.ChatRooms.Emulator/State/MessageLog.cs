using System.Collections;

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

    // Blocks grow by doubling to this size, then stay at it; a text longer than a block gets a block of its own. Under
    // 85,000 bytes, so that a block is not a large object: those are only freed by full collections, which new blocks
    // at thousands of messages a second would keep starting. A block holds no references, so copying it is cheap.
    private const int FirstBlockChars = 1024;
    private const int MaxBlockChars = 40_000;

    // Texts this short are kept once per log while there are at most MaxShared of them: authors, participant SIDs and
    // attributes repeat from message to message, bodies and SIDs do not.
    private const int MaxSharedLength = 64;
    private const int MaxShared = 256;

    private readonly List<char[]> _blocks = [];
    private readonly List<string> _shared = [];
    private readonly Dictionary<string, int> _sharedIndex = new(StringComparer.Ordinal);

    // The files of the few messages that hold any, by index: rows keep no references.
    private readonly Dictionary<int, IReadOnlyList<MessageMedia>> _media = [];
    private Row[] _rows = [];
    private int _count;
    private int _used;
    private long _liveChars;
    private long _wastedChars;
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
    internal long WastedChars => _wastedChars;

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
            if (TextEquals(_rows[i].Sid, sid))
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
        return new(Read(row.Sid)!, serviceSid, conversationSid, row.Index, Read(row.Author)!, Read(row.Body), Read(row.Attributes)!,
            Read(row.ParticipantSid), row.DateCreated, row.DateUpdated, _media.GetValueOrDefault(row.Index), Read(row.LastUpdatedBy),
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
        Sid = Append(m.Sid),
        Author = ShareOrAppend(m.Author),
        Body = Append(m.Body),
        Attributes = ShareOrAppend(m.Attributes),
        ParticipantSid = ShareOrAppend(m.ParticipantSid),
        LastUpdatedBy = ShareOrAppend(m.LastUpdatedBy),
        DateCreated = m.DateCreated,
        DateUpdated = m.DateUpdated,
        DeliveryTotal = m.Delivery?.Total ?? -1,
        Sent = m.Delivery?.Sent ?? default,
        Delivered = m.Delivery?.Delivered ?? default,
        Read = m.Delivery?.Read ?? default,
        Undelivered = m.Delivery?.Undelivered ?? default,
        Failed = m.Delivery?.Failed ?? default,
    };

    private string? Read(Text text) =>
        text.Length < 0 ? null
        : text.Length == 0 ? ""
        : text.Block < 0 ? _shared[text.Start]
        : new string(_blocks[text.Block], text.Start, text.Length);

    private bool TextEquals(Text text, string value) =>
        text.Length == value.Length && (text.Length == 0 || text.Block < 0
            ? _shared[text.Start] == value
            : _blocks[text.Block].AsSpan(text.Start, text.Length).SequenceEqual(value));

    private Text ShareOrAppend(string? value)
    {
        if (value is null || value.Length > MaxSharedLength)
        {
            return Append(value);
        }

        if (!_sharedIndex.TryGetValue(value, out var index))
        {
            if (_shared.Count >= MaxShared)
            {
                return Append(value);
            }

            index = _shared.Count;
            _shared.Add(value);
            _sharedIndex[value] = index;
        }

        return new Text(-1, index, value.Length);
    }

    private Text Append(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return new Text(-1, 0, value is null ? -1 : 0);
        }

        if (_blocks.Count == 0 || _blocks[^1].Length - _used < value.Length)
        {
            var size = _blocks.Count == 0 ? FirstBlockChars : Math.Min(MaxBlockChars, _blocks[^1].Length * 2);
            _blocks.Add(new char[Math.Max(size, value.Length)]);
            _used = 0;
        }

        var text = new Text(_blocks.Count - 1, _used, value.Length);
        value.CopyTo(_blocks[^1].AsSpan(_used));
        _used += value.Length;
        _liveChars += value.Length;
        return text;
    }

    /// <summary>Counts a row's own texts (not the shared ones) as unused.</summary>
    private void Forget(in Row row)
    {
        foreach (var text in (ReadOnlySpan<Text>)[row.Sid, row.Author, row.Body, row.Attributes, row.ParticipantSid])
        {
            if (text is { Block: >= 0, Length: > 0 })
            {
                _liveChars -= text.Length;
                _wastedChars += text.Length;
            }
        }
    }

    /// <summary>Once edits and removals left more unused than used (and more than a block), writes the live texts afresh.</summary>
    private void CompactIfWasteful()
    {
        if (_wastedChars <= MaxBlockChars || _wastedChars <= _liveChars)
        {
            return;
        }

        var records = new MessageRecord[_count];
        for (var i = 0; i < _count; i++)
        {
            records[i] = this[i];
        }

        _blocks.Clear();
        _used = 0;
        _liveChars = 0;
        _wastedChars = 0;
        for (var i = 0; i < _count; i++)
        {
            _rows[i] = Store(records[i]);
        }
    }

    /// <summary>Where a text is: a block, its start and length; block -1 for a shared text (start is its number); length -1 for null.</summary>
    private readonly record struct Text(int Block, int Start, int Length);

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
