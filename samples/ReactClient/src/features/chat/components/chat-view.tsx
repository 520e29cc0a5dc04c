import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { HostApi, HostRoom } from '@/lib/api-client';
import { errorMessage, roomDisplayName, type ChatClient, type ChatMessage, type ChatRoom } from '@/lib/chat-client';

import { useAllRooms } from '../hooks/use-all-rooms';
import { useConnectionState } from '../hooks/use-connection-state';
import { useMembers } from '../hooks/use-members';
import { useRoomMessages } from '../hooks/use-room-messages';
import { useRooms } from '../hooks/use-rooms';
import { typingText, useTypers, useTypingSignal } from '../hooks/use-typing';
import { useUnreadCounts } from '../hooks/use-unread-counts';
import { ConnectionBanner } from './connection-banner';
import { MembersSidebar } from './members-sidebar';
import { MessageInput } from './message-input';
import { MessageLog } from './message-log';
import { RoomsSidebar } from './rooms-sidebar';

export type ChatViewProps = {
  client: ChatClient;
  /** The signed-in user. */
  identity: string;
  /** The web host's room endpoints (join, leave, private conversations, the live list of all rooms). */
  host: HostApi;
  /** The rooms from the login answer, shown until the client lists them. */
  initialRooms?: HostRoom[];
};

function asRooms(rooms: HostRoom[]): ChatRoom[] {
  return rooms.map((r) => ({ sid: r.sid, name: r.name, kind: 'room', members: [] }));
}

export function ChatView({ client, identity, host, initialRooms = [] }: ChatViewProps) {
  const connectionState = useConnectionState(client);
  const connected = connectionState === 'connected';
  const [selectedSid, setSelectedSid] = useState<string | null>(null);
  const selected = useRef(selectedSid);
  selected.current = selectedSid;
  /** Rooms the user is leaving: their conversationRemoved is no deletion. */
  const leaving = useRef(new Set<string>());
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const [joiningSid, setJoiningSid] = useState<string | null>(null);
  const [leavingSid, setLeavingSid] = useState<string | null>(null);
  const [openingWith, setOpeningWith] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const main = useRef<HTMLElement>(null);

  const onRoomRemoved = useCallback(
    (removed: ChatRoom) => {
      if (leaving.current.has(removed.sid) || selected.current !== removed.sid) return;
      // Gone while being read: leave it quietly and say why.
      setSelectedSid(null);
      setNotice(`The room ${roomDisplayName(removed, identity)} was deleted.`);
      // The input goes disabled: a keyboard user in the chat lands on the heading instead of nowhere.
      if (main.current?.contains(document.activeElement)) heading.current?.focus();
    },
    [identity],
  );

  const [initial] = useState(() => asRooms(initialRooms));
  const { rooms, add: addRoom, remove: removeRoom } = useRooms(client, connected, initial, onRoomRemoved);
  const allRooms = useAllRooms(host);
  const room = rooms.find((r) => r.sid === selectedSid) ?? null;
  const messages = useRoomMessages(client, room?.sid ?? null, connected);
  const members = useMembers(client, room?.sid ?? null, connected);
  const typers = useTypers(client, room?.sid ?? null, identity);
  const typingSignal = useTypingSignal(client, room?.sid ?? null);
  const roomSids = useMemo(() => rooms.map((r) => r.sid), [rooms]);
  const unread = useUnreadCounts(client, roomSids, room?.sid ?? null, connected);
  const joinable = useMemo(() => allRooms.filter((r) => !rooms.some((mine) => mine.sid === r.sid)), [allRooms, rooms]);
  const roomName = room ? roomDisplayName(room, identity) : null;
  const lastRoom = useRef<ChatRoom | null>(null);
  if (room) lastRoom.current = room;

  // The selected room left the list some other way (say, deleted while the connection was down): the same.
  useEffect(() => {
    if (!selectedSid || room || leaving.current.has(selectedSid)) return;
    const gone = lastRoom.current;
    setSelectedSid(null);
    if (gone?.sid === selectedSid) setNotice(`The room ${roomDisplayName(gone, identity)} was deleted.`);
  }, [selectedSid, room, identity]);

  // After logging in, focus lands on the chat instead of on a form that is gone.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const selectRoom = useCallback((sid: string) => {
    setSelectedSid(sid);
    setNotice('');
    setActionError(null);
    // Keyboard users land where they will type next.
    requestAnimationFrame(() => input.current?.focus());
  }, []);

  const send = useCallback(
    async (body: string) => {
      if (!room) throw new Error('Choose a room first.');
      // The message appears through messageAdded, like everybody else's: one code path.
      await client.sendMessage(room.sid, body);
      typingSignal.sent();
    },
    [client, room, typingSignal],
  );

  const editMessage = useCallback(
    (message: ChatMessage, body: string) => client.updateMessage(message.roomSid, message.index, body),
    [client],
  );
  const deleteMessage = useCallback(
    async (message: ChatMessage) => {
      await client.removeMessage(message.roomSid, message.index);
      // The message and its buttons are going: focus goes where the user writes next, not to nowhere.
      input.current?.focus();
    },
    [client],
  );

  const join = useCallback(
    async (target: HostRoom) => {
      setActionError(null);
      setJoiningSid(target.sid);
      try {
        const joined = await host.joinRoom(target.name);
        // conversationAdded brings it too; the list keeps one.
        addRoom({ sid: joined.sid, name: joined.name, kind: 'room', members: [] });
        selectRoom(joined.sid);
      } catch (error) {
        setActionError(`Could not join ${target.name}: ${errorMessage(error, 'the server refused.')}`);
      } finally {
        setJoiningSid(null);
      }
    },
    [host, addRoom, selectRoom],
  );

  const leave = useCallback(async () => {
    if (!room || room.kind !== 'room') return;
    const name = allRooms.find((r) => r.sid === room.sid)?.name ?? room.name;
    setActionError(null);
    setLeavingSid(room.sid);
    leaving.current.add(room.sid);
    try {
      await host.leaveRoom(name);
      removeRoom(room.sid);
      if (selected.current === room.sid) setSelectedSid(null);
      setNotice(`You left ${name}.`);
      heading.current?.focus();
    } catch (error) {
      setActionError(`Could not leave ${name}: ${errorMessage(error, 'the server refused.')}`);
    } finally {
      leaving.current.delete(room.sid);
      setLeavingSid(null);
    }
  }, [room, allRooms, host, removeRoom]);

  const openPrivate = useCallback(
    async (other: string) => {
      const existing = rooms.find(
        (r) => r.kind === 'private' && r.members.includes(other) && r.members.every((m) => m === other || m === identity),
      );
      if (existing) {
        selectRoom(existing.sid);
        return;
      }
      setActionError(null);
      setOpeningWith(other);
      try {
        const opened = await host.openPrivateConversation(other);
        addRoom({
          sid: opened.sid,
          name: opened.friendlyName ?? opened.uniqueName ?? opened.sid,
          kind: 'private',
          members: opened.members.length > 0 ? opened.members : [identity, other],
        });
        selectRoom(opened.sid);
      } catch (error) {
        setActionError(`Could not message ${other}: ${errorMessage(error, 'the server refused.')}`);
      } finally {
        setOpeningWith(null);
      }
    },
    [rooms, identity, host, addRoom, selectRoom],
  );

  return (
    <div className="chat-view">
      <ConnectionBanner state={connectionState} />
      <RoomsSidebar
        rooms={rooms}
        joinable={joinable}
        identity={identity}
        selectedSid={room?.sid ?? null}
        unread={unread}
        joiningSid={joiningSid}
        onSelect={selectRoom}
        onJoin={(target) => void join(target)}
      />
      <main className="chat-main" ref={main}>
        <div className="chat-main__header">
          <h2 className="chat-main__title" ref={heading} tabIndex={-1}>
            {roomName ?? 'Choose a room'}
          </h2>
          {room?.kind === 'room' && (
            <button type="button" onClick={() => void leave()} disabled={leavingSid === room.sid}>
              Leave room
            </button>
          )}
        </div>
        <p role="status" className={notice ? 'chat-main__notice' : 'visually-hidden'}>
          {notice}
        </p>
        {actionError && (
          <p role="alert" className="error chat-main__error">
            {actionError}
          </p>
        )}
        {room && roomName ? (
          <MessageLog
            key={room.sid}
            roomName={roomName}
            messages={messages.messages}
            hasPrevPage={messages.hasPrevPage}
            loading={messages.loading}
            loadingOlder={messages.loadingOlder}
            error={messages.error}
            onLoadOlder={messages.loadOlder}
            identity={identity}
            onEdit={editMessage}
            onDelete={deleteMessage}
          />
        ) : (
          <p className="muted chat-main__hint">Pick a room from the list to read and write messages.</p>
        )}
        <p role="status" aria-live="polite" aria-label="Typing" className="typing-indicator">
          {typingText(typers)}
        </p>
        <MessageInput ref={input} disabled={!room} onSend={send} onTyping={typingSignal.typed} />
      </main>
      <MembersSidebar
        roomName={roomName}
        members={members.members}
        loading={members.loading}
        error={members.error}
        identity={identity}
        openingWith={openingWith}
        onMessage={(other) => void openPrivate(other)}
      />
    </div>
  );
}
