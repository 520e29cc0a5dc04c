import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { HostApi, HostRoom } from '../api/host-api';
import { roomDisplayName } from '../rooms';
import type { ChatClient, ChatRoom } from '../types';
import { useAllRooms } from '../hooks/use-all-rooms';
import { useConnectionState } from '../hooks/use-connection-state';
import { useGroupActions } from '../hooks/use-group-actions';
import { useMembers } from '../hooks/use-members';
import { useMessageActions } from '../hooks/use-message-actions';
import { useRoomActions } from '../hooks/use-room-actions';
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
  const input = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const main = useRef<HTMLElement>(null);

  const onRoomRemoved = useCallback(
    (removed: ChatRoom) => {
      if (leaving.current.has(removed.sid) || selected.current !== removed.sid) return;
      // Gone while being read: leave it quietly and say why.
      setSelectedSid(null);
      // A group's creator may also take a member out: it is gone for this user either way.
      setNotice(
        removed.kind === 'group'
          ? `You are no longer in the group ${removed.name}.`
          : `The room ${roomDisplayName(removed, identity)} was deleted.`,
      );
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
  // Only the selected room's own messages count (the log is briefly the last room's while a new one loads).
  const lastShown = messages.messages[messages.messages.length - 1];
  const lastShownIndex = room && lastShown?.roomSid === room.sid ? lastShown.index : null;
  const unread = useUnreadCounts(client, roomSids, room?.sid ?? null, connected, lastShownIndex);
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

  const open = useCallback((sid: string) => {
    setSelectedSid(sid);
    setNotice('');
    // Keyboard users land where they will type next.
    requestAnimationFrame(() => input.current?.focus());
  }, []);
  const left = useCallback((sid: string, name: string) => {
    if (selected.current === sid) setSelectedSid(null);
    setNotice(`You left ${name}.`);
    heading.current?.focus();
  }, []);
  const actions = useRoomActions({ host, identity, rooms, allRooms, addRoom, removeRoom, leaving, open, left });
  const groups = useGroupActions({ client, addRoom, removeRoom, leaving, open, left });
  const { clearError } = actions;
  const { clearErrors: clearGroupErrors, addMember: addGroupMember } = groups;
  const selectRoom = useCallback(
    (sid: string) => {
      clearError();
      clearGroupErrors();
      open(sid);
    },
    [clearError, clearGroupErrors, open],
  );
  const addMember = useCallback(
    (identityToAdd: string) => (room ? addGroupMember(room, identityToAdd) : Promise.resolve(false)),
    [room, addGroupMember],
  );

  // The message and its buttons are going: focus goes where the user writes next, not to nowhere.
  const focusInput = useCallback(() => input.current?.focus(), []);
  const messageActions = useMessageActions(client, room?.sid ?? null, { sent: typingSignal.sent, removed: focusInput });

  return (
    <div className="chat-view">
      <ConnectionBanner state={connectionState} />
      <RoomsSidebar
        rooms={rooms}
        joinable={joinable}
        identity={identity}
        selectedSid={room?.sid ?? null}
        unread={unread}
        joiningSid={actions.joiningSid}
        onSelect={selectRoom}
        onJoin={(target) => void actions.join(target)}
        creatingGroup={groups.creating}
        onCreateGroup={groups.create}
      />
      <main className="chat-main" ref={main}>
        <div className="chat-main__header">
          <h2 className="chat-main__title" ref={heading} tabIndex={-1}>
            {roomName ?? 'Choose a room'}
          </h2>
          {room?.kind === 'room' && (
            <button type="button" onClick={() => void actions.leave(room)} disabled={actions.leavingSid === room.sid}>
              Leave room
            </button>
          )}
          {room?.kind === 'group' && (
            <button type="button" onClick={() => void groups.leave(room)} disabled={groups.leavingSid === room.sid}>
              Leave group
            </button>
          )}
        </div>
        <p role="status" className={notice ? 'chat-main__notice' : 'visually-hidden'}>
          {notice}
        </p>
        {actions.error && (
          <p role="alert" className="error chat-main__error">
            {actions.error}
          </p>
        )}
        {groups.error && (
          <p role="alert" className="error chat-main__error">
            {groups.error}
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
            onEdit={messageActions.edit}
            onDelete={messageActions.remove}
            onReact={messageActions.react}
            onAttachmentUrl={messageActions.attachmentUrl}
            members={members.members}
          />
        ) : (
          <p className="muted chat-main__hint">Pick a room from the list to read and write messages.</p>
        )}
        <p role="status" aria-live="polite" aria-label="Typing" className="typing-indicator">
          {typingText(typers)}
        </p>
        <MessageInput
          ref={input}
          disabled={!room}
          onSend={messageActions.send}
          onSendFiles={messageActions.sendFiles}
          onTyping={typingSignal.typed}
        />
      </main>
      <MembersSidebar
        roomName={roomName}
        members={members.members}
        loading={members.loading}
        error={members.error}
        identity={identity}
        openingWith={actions.openingWith}
        onMessage={(other) => void actions.openPrivate(other)}
        addMember={
          room?.kind === 'group'
            ? { adding: groups.adding, error: groups.addError, added: groups.added, onAdd: addMember }
            : undefined
        }
      />
    </div>
  );
}
