import { useId } from 'react';

import type { HostRoom } from '../api/host-api';
import { roomDisplayName } from '../rooms';
import { type ChatRoom } from '../types';
import { NameForm } from './name-form';

export type RoomsSidebarProps = {
  rooms: ChatRoom[];
  /** Rooms of the service the user is not in. */
  joinable: HostRoom[];
  identity: string;
  selectedSid: string | null;
  unread: Record<string, number | null>;
  /** The room being joined, while the host answers. */
  joiningSid: string | null;
  onSelect: (sid: string) => void;
  onJoin: (room: HostRoom) => void;
  /** While a group is being made. */
  creatingGroup: boolean;
  /** Makes a group; resolves to whether it was made. */
  onCreateGroup: (name: string) => Promise<boolean>;
};

function RoomButton({
  room,
  identity,
  selected,
  unread,
  onSelect,
}: {
  room: ChatRoom;
  identity: string;
  selected: boolean;
  unread: number | null | undefined;
  onSelect: (sid: string) => void;
}) {
  const count = !selected && unread ? unread : 0;
  return (
    <li>
      <button type="button" aria-current={selected ? 'true' : undefined} onClick={() => onSelect(room.sid)}>
        <span className="room-button__name">{roomDisplayName(room, identity)}</span>
        {count > 0 && (
          <>
            {' '}
            <span className="unread-badge" aria-hidden="true">
              {count}
            </span>
            <span className="visually-hidden">{count} unread</span>
          </>
        )}
      </button>
    </li>
  );
}

export function RoomsSidebar({
  rooms,
  joinable,
  identity,
  selectedSid,
  unread,
  joiningSid,
  onSelect,
  onJoin,
  creatingGroup,
  onCreateGroup,
}: RoomsSidebarProps) {
  const directId = useId();
  const groupsId = useId();
  const allId = useId();
  // In name order, whatever order they arrive in: the login answer's rooms and the chat client's list come in different
  // orders, and a list that reorders under the pointer loses the click (pressed on one room, released on another).
  const byName = (a: ChatRoom, b: ChatRoom) => roomDisplayName(a, identity).localeCompare(roomDisplayName(b, identity));
  const publicRooms = rooms.filter((r) => r.kind === 'room').sort(byName);
  const privateRooms = rooms.filter((r) => r.kind === 'private').sort(byName);
  const groups = rooms.filter((r) => r.kind === 'group').sort(byName);
  const button = (room: ChatRoom) => (
    <RoomButton
      key={room.sid}
      room={room}
      identity={identity}
      selected={room.sid === selectedSid}
      unread={unread[room.sid]}
      onSelect={onSelect}
    />
  );

  return (
    <div className="sidebar">
      <nav className="rooms-sidebar" aria-label="Rooms">
        <h2 className="rooms-sidebar__title">Rooms</h2>
        {publicRooms.length === 0 ? <p className="muted">No rooms yet.</p> : <ul>{publicRooms.map(button)}</ul>}
        <h3 className="rooms-sidebar__title" id={directId}>
          Direct messages
        </h3>
        {privateRooms.length === 0 ? (
          <p className="muted">No direct messages yet. Message someone from the members list.</p>
        ) : (
          <ul aria-labelledby={directId}>{privateRooms.map(button)}</ul>
        )}
        <h3 className="rooms-sidebar__title" id={groupsId}>
          Groups
        </h3>
        {groups.length === 0 ? (
          <p className="muted">No groups yet.</p>
        ) : (
          <ul aria-labelledby={groupsId}>{groups.map(button)}</ul>
        )}
      </nav>
      {/* Outside the nav, which lists only the user's rooms. */}
      <NameForm
        name="New group"
        label="Group name"
        submit="Create group"
        busy={creatingGroup}
        onSubmit={onCreateGroup}
      />
      {/* Outside the nav, so "Join NAME" never reads as one of the user's rooms. */}
      <section className="rooms-sidebar rooms-sidebar--joinable" aria-labelledby={allId}>
        <h2 className="rooms-sidebar__title" id={allId}>
          All rooms
        </h2>
        {joinable.length === 0 ? (
          <p className="muted">You are in every room.</p>
        ) : (
          <ul>
            {joinable.map((room) => (
              <li key={room.sid} className="joinable-room">
                <span>{room.name}</span>
                <button
                  type="button"
                  aria-label={`Join ${room.name}`}
                  onClick={() => onJoin(room)}
                  disabled={joiningSid === room.sid}
                >
                  Join
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
