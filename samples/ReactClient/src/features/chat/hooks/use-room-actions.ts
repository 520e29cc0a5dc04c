import { useCallback, useState, type RefObject } from 'react';

import { errorMessage } from '@/lib/values';

import type { HostApi, HostRoom } from '../api/host-api';
import type { ChatRoom } from '../types';

export type RoomActionsOptions = {
  host: HostApi;
  /** The signed-in user. */
  identity: string;
  /** The user's rooms and private conversations, as listed now. */
  rooms: ChatRoom[];
  /** Every room of the service, as the host lists it (for the name a room is left by). */
  allRooms: HostRoom[];
  addRoom: (room: ChatRoom) => void;
  removeRoom: (sid: string) => void;
  /** Rooms being left: their `roomRemoved` is the user's own doing, not a deletion. */
  leaving: RefObject<Set<string>>;
  /** Shows a room the user is now in. */
  open: (sid: string) => void;
  /** Called once the user has left a room. */
  left: (sid: string, name: string) => void;
};

export type RoomActions = {
  join: (target: HostRoom) => Promise<void>;
  leave: (room: ChatRoom) => Promise<void>;
  /** Opens (or makes) the private conversation with another user. */
  openPrivate: (other: string) => Promise<void>;
  /** What the last action could not do, for an alert; null when nothing failed. */
  error: string | null;
  clearError: () => void;
  joiningSid: string | null;
  leavingSid: string | null;
  /** The user a private conversation is being opened with. */
  openingWith: string | null;
};

/** Joining, leaving and opening private conversations through the web host, each with its pending state and error. */
export function useRoomActions({
  host,
  identity,
  rooms,
  allRooms,
  addRoom,
  removeRoom,
  leaving,
  open,
  left,
}: RoomActionsOptions): RoomActions {
  const [error, setError] = useState<string | null>(null);
  const [joiningSid, setJoiningSid] = useState<string | null>(null);
  const [leavingSid, setLeavingSid] = useState<string | null>(null);
  const [openingWith, setOpeningWith] = useState<string | null>(null);
  const clearError = useCallback(() => setError(null), []);

  const join = useCallback(
    async (target: HostRoom) => {
      setError(null);
      setJoiningSid(target.sid);
      try {
        const joined = await host.joinRoom(target.name);
        // conversationAdded brings it too; the list keeps one.
        addRoom({ sid: joined.sid, name: joined.name, kind: 'room', members: [] });
        open(joined.sid);
      } catch (cause) {
        setError(`Could not join ${target.name}: ${errorMessage(cause, 'the server refused.')}`);
      } finally {
        setJoiningSid(null);
      }
    },
    [host, addRoom, open],
  );

  const leave = useCallback(
    async (room: ChatRoom) => {
      if (room.kind !== 'room') return;
      const name = allRooms.find((r) => r.sid === room.sid)?.name ?? room.name;
      setError(null);
      setLeavingSid(room.sid);
      leaving.current.add(room.sid);
      try {
        await host.leaveRoom(name);
        removeRoom(room.sid);
        left(room.sid, name);
      } catch (cause) {
        setError(`Could not leave ${name}: ${errorMessage(cause, 'the server refused.')}`);
      } finally {
        leaving.current.delete(room.sid);
        setLeavingSid(null);
      }
    },
    [allRooms, host, removeRoom, leaving, left],
  );

  const openPrivate = useCallback(
    async (other: string) => {
      const existing = rooms.find(
        (r) => r.kind === 'private' && r.members.includes(other) && r.members.every((m) => m === other || m === identity),
      );
      if (existing) {
        setError(null);
        open(existing.sid);
        return;
      }
      setError(null);
      setOpeningWith(other);
      try {
        const opened = await host.openPrivateConversation(other);
        addRoom({
          sid: opened.sid,
          name: opened.friendlyName ?? opened.uniqueName ?? opened.sid,
          kind: 'private',
          members: opened.members.length > 0 ? opened.members : [identity, other],
        });
        open(opened.sid);
      } catch (cause) {
        setError(`Could not message ${other}: ${errorMessage(cause, 'the server refused.')}`);
      } finally {
        setOpeningWith(null);
      }
    },
    [rooms, identity, host, addRoom, open],
  );

  return { join, leave, openPrivate, error, clearError, joiningSid, leavingSid, openingWith };
}
