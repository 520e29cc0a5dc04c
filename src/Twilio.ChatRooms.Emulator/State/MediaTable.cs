namespace Twilio.ChatRooms.Emulator.State;

/// <summary>
/// The media service's files, by SID. A removed one raises <see cref="MediaRemoved"/>, so its bytes go once the removal is
/// durable; a message's files go with the message (<see cref="MessageTable.Remove"/>).
/// </summary>
internal sealed class MediaTable(EmulatorState state) : Table<MediaRecord>(state, EmulatorState.MediaKind)
{
    /// <summary>Removes a file's record and raises <see cref="MediaRemoved"/>.</summary>
    public void Delete(MediaRecord media)
    {
        Remove(media);
        State.Raise(new MediaRemoved(media));
    }

    /// <summary>Removes the files a removed message held.</summary>
    public void DeleteOf(MessageRecord message)
    {
        foreach (var media in message.Media ?? [])
        {
            if (Find(media.Sid) is { } record)
            {
                Delete(record);
            }
        }
    }
}
