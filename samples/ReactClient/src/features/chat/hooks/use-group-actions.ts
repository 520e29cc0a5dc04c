import { useCallback, useState, type RefObject } from 'react';

import { errorMessage } from '@/lib/values';

import { ChatRefusal, type ChatClient, type ChatRoom } from '../types';

export type GroupActionsOptions = {
  client: ChatClient;
  addRoom: (room: ChatRoom) => void;
  removeRoom: (sid: string) => void;
  /** Rooms being left: their `roomRemoved` is the user's own doing, not a deletion. */
  leaving: RefObject<Set<string>>;
  /** Shows a room the user is now in. */
  open: (sid: string) => void;
  /** Called once the user has left a group. */
  left: (sid: string, name: string) => void;
};

export type GroupActions = {
  /** Makes a group and opens it; resolves to whether it was made. */
  create: (name: string) => Promise<boolean>;
  /** Adds a member to a group; resolves to whether they were added. */
  addMember: (room: ChatRoom, identity: string) => Promise<boolean>;
  leave: (room: ChatRoom) => Promise<void>;
  creating: boolean;
  adding: boolean;
  leavingSid: string | null;
  /** What making or leaving a group could not do, for an alert; null when nothing failed. */
  error: string | null;
  /** What adding a member could not do, for an alert beside the members; null when nothing failed. */
  addError: string | null;
  /** Who was added last, for a status beside the members. */
  added: string | null;
  clearErrors: () => void;
};

/** Groups, through the chat client (the SDK): making one, adding members to it, leaving it. */
export function useGroupActions({ client, addRoom, removeRoom, leaving, open, left }: GroupActionsOptions): GroupActions {
  const [creating, setCreating] = useState(false);
  const [adding, setAdding] = useState(false);
  const [leavingSid, setLeavingSid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const clearErrors = useCallback(() => {
    setError(null);
    setAddError(null);
    setAdded(null);
  }, []);

  const create = useCallback(
    async (name: string) => {
      const trimmed = name.trim();
      if (!trimmed) return false;
      setError(null);
      setCreating(true);
      try {
        const room = await client.createGroup(trimmed);
        // conversationAdded brings it too; the list keeps one.
        addRoom(room);
        open(room.sid);
        return true;
      } catch (cause) {
        setError(`Could not create the group ${trimmed}: ${errorMessage(cause, 'the server refused.')}`);
        return false;
      } finally {
        setCreating(false);
      }
    },
    [client, addRoom, open],
  );

  const addMember = useCallback(
    async (room: ChatRoom, identity: string) => {
      const who = identity.trim();
      if (!who) return false;
      setAddError(null);
      setAdded(null);
      setAdding(true);
      try {
        await client.addMember(room.sid, who);
        setAdded(who);
        return true;
      } catch (cause) {
        const message = errorMessage(cause, 'the server refused.');
        if (cause instanceof ChatRefusal && cause.reason === 'not-allowed') setAddError(`Not allowed: ${message}`);
        else setAddError(`Could not add ${who}: ${message}`);
        return false;
      } finally {
        setAdding(false);
      }
    },
    [client],
  );

  const leave = useCallback(
    async (room: ChatRoom) => {
      if (room.kind !== 'group') return;
      setError(null);
      setLeavingSid(room.sid);
      leaving.current.add(room.sid);
      try {
        await client.leaveGroup(room.sid);
        removeRoom(room.sid);
        left(room.sid, room.name);
      } catch (cause) {
        setError(`Could not leave ${room.name}: ${errorMessage(cause, 'the server refused.')}`);
      } finally {
        leaving.current.delete(room.sid);
        setLeavingSid(null);
      }
    },
    [client, removeRoom, leaving, left],
  );

  return { create, addMember, leave, creating, adding, leavingSid, error, addError, added, clearErrors };
}
