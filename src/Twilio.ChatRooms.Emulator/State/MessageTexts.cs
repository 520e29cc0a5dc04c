namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// The texts of one <see cref="MessageLog"/>: in a few character blocks, and what repeats once. Edits and removals
/// leave unused characters behind (<see cref="Forget"/>); the log writes its live texts afresh once they are
/// <see cref="IsWasteful"/>. Holds no reference per text, so the collector has next to nothing to walk.
/// </summary>
internal sealed class MessageTexts
{
    /// <summary>Where a text is: a block, its start and length; block -1 for a shared text (start is its number); length -1 for null.</summary>
    public readonly record struct Text(int Block, int Start, int Length);

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

    private int _used;
    private long _liveChars;
    private long _wastedChars;

    /// <summary>The blocks' characters that edits and removals left unused, until the next <see cref="Clear"/>.</summary>
    public long WastedChars => _wastedChars;

    /// <summary>More unused than used, and more than a block.</summary>
    public bool IsWasteful => _wastedChars > MaxBlockChars && _wastedChars > _liveChars;

    public string? Read(Text text) =>
        text.Length < 0 ? null
        : text.Length == 0 ? ""
        : text.Block < 0 ? _shared[text.Start]
        : new string(_blocks[text.Block], text.Start, text.Length);

    /// <summary>Whether <paramref name="text"/> is <paramref name="value"/>, without making a string of it.</summary>
    public bool TextEquals(Text text, string value) =>
        text.Length == value.Length && (text.Length == 0 || text.Block < 0
            ? _shared[text.Start] == value
            : _blocks[text.Block].AsSpan(text.Start, text.Length).SequenceEqual(value));

    /// <summary>Keeps a text that may repeat (an author, a participant SID, attributes): once, while it is short and few are kept.</summary>
    public Text ShareOrAppend(string? value)
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

    /// <summary>Keeps a text in the current block, or a new one when it does not fit.</summary>
    public Text Append(string? value)
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

    /// <summary>Counts a text of its own (not a shared one) as unused.</summary>
    public void Forget(Text text)
    {
        if (text is { Block: >= 0, Length: > 0 })
        {
            _liveChars -= text.Length;
            _wastedChars += text.Length;
        }
    }

    /// <summary>Drops every block, before the log writes its live texts afresh (the shared texts stay).</summary>
    public void Clear()
    {
        _blocks.Clear();
        _used = 0;
        _liveChars = 0;
        _wastedChars = 0;
    }
}
